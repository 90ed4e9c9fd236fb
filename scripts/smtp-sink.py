#!/usr/bin/env python3
"""A real SMTP server for tests and the local demo (aiosmtpd): STARTTLS required, AUTH LOGIN/PLAIN with one user,
each accepted message written to DIR as NNNNNN.eml. Recipients at refused.example are refused for good (550), as a
mail server refuses an address that does not exist.

  smtp-sink.py --port 2525 --dir DIR --cert CERT --key KEY --user USER --password PASSWORD
"""
import argparse
import asyncio
import itertools
import os
import ssl
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.counter = itertools.count(len(os.listdir(directory)) + 1)

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.lower().endswith("@refused.example"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        path = os.path.join(self.directory, f"{next(self.counter):06d}.eml")
        with open(path + ".part", "wb") as file:
            file.write(f"X-Envelope-From: {envelope.mail_from}\r\nX-Envelope-To: {','.join(envelope.rcpt_tos)}\r\n".encode())
            file.write(envelope.original_content or envelope.content)
        os.rename(path + ".part", path)
        return "250 2.0.0 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    for option in ("--port", "--dir", "--cert", "--key", "--user", "--password"):
        parser.add_argument(option, required=True)
    arguments = parser.parse_args()
    os.makedirs(arguments.dir, exist_ok=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(arguments.cert, arguments.key)

    def authenticate(server, session, envelope, mechanism, data):
        good = isinstance(data, LoginPassword) and data.login.decode() == arguments.user and data.password.decode() == arguments.password
        return AuthResult(success=good, handled=False)

    controller = Controller(Sink(arguments.dir), hostname="127.0.0.1", port=int(arguments.port), tls_context=context,
                            require_starttls=True, authenticator=authenticate, auth_required=True, auth_require_tls=True)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
