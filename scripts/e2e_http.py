"""HTTP for the e2e scripts: one call that answers status, headers and body whatever the status."""
import json
import urllib.error
import urllib.request


def call(method, url, token=None, body=None, headers=None):
    """Sends `body` (bytes) as it is; answers (status, headers, bytes) for 2xx and errors alike."""
    request = urllib.request.Request(url, data=body, method=method)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def json_call(method, url, body=None, token=None, headers=None):
    """A JSON body out, a JSON body (or None) back: (status, value)."""
    status, _, text = call(method, url, token, json.dumps(body).encode() if body is not None else None,
                           {"Content-Type": "application/json", **(headers or {})})
    return status, (json.loads(text) if text else None)
