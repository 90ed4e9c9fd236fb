#!/usr/bin/env python3
"""Upload load for scripts/bench/documents: the same bytes written by a plain copy (with fsync, as the service does)
and uploaded to the documents service by concurrent clients, each upload different (so none is deduplicated).

  documents_load.py copy SIZE_MB COUNT FOLDER CONCURRENCY   MB/s of writing COUNT files of SIZE_MB with fsync, as many at a time
  documents_load.py upload DOCS TOKEN SIZE_MB COUNT CONCURRENCY   MB/s of COUNT uploads
"""
import concurrent.futures
import http.client
import os
import sys
import time
import urllib.parse


def payload(size_mb, index):
    body = bytearray(b"%PDF-1.7\n" + os.urandom(1024) * (size_mb * 1024))
    body[-16:] = index.to_bytes(16, "big")
    return bytes(body)


def copy(size_mb, count, folder, concurrency):
    source = payload(size_mb, 0)

    def one(index):
        with open(os.path.join(folder, f"copy-{index}"), "wb") as file:
            file.write(source[:-16] + index.to_bytes(16, "big"))
            file.flush()
            os.fsync(file.fileno())

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(count)))
    elapsed = time.perf_counter() - start
    print("%.1f" % (size_mb * count / elapsed))


def upload(docs, token, size_mb, count, concurrency):
    target = urllib.parse.urlparse(docs)
    bodies = [payload(size_mb, index) for index in range(count)]

    def one(index):
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
        connection.request("POST", f"/v1/files?name=bench-{index}.pdf", body=bodies[index], headers={"Authorization": "Bearer " + token})
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        statuses = list(pool.map(one, range(count)))
    elapsed = time.perf_counter() - start
    assert all(status == 201 for status in statuses), statuses
    print("%.1f" % (size_mb * count / elapsed))


if __name__ == "__main__":
    if sys.argv[1] == "copy":
        copy(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5]))
    elif sys.argv[1] == "upload":
        upload(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
    else:
        sys.exit(__doc__)
