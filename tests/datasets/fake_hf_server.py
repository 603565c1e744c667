#!/usr/bin/env python3
"""A stand-in for huggingface.co and datasets-server.huggingface.co, for reval's download tests.

Listens on 127.0.0.1 on a free port and prints "PORT <n>" once ready. Serves:
  GET /datasets/<org>/<name>/resolve/<revision>/<path>  -> ROOT/<org>/<name>/<path>
      a path containing "die-midway" sends half the body, then the server process exits at once
      (a server killed mid-transfer); "flaky" answers 503 to the first request for it.
  GET /rows?dataset=<org>/<name>&config=C&split=S&offset=O&length=L
      -> rows O..O+L of ROOT/<org>/<name>/<C>-<S>.rows.jsonl in the datasets-server shape
      {"features": [], "rows": [{"row_idx": i, "row": {...}, "truncated_cells": []}], "num_rows_total": N};
      a row with "__truncate__": true is reported with truncated_cells; one with "__big__": true only
      when it is not alone on its page (as the real server cuts cells to keep a page under a size limit).
Every request line is appended to --log (when given), so tests can check what was fetched.
"""
import argparse
import json
import os
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARGS = None
FLAKY_SEEN = set()


def log_request_line(path):
    if ARGS.log:
        with open(ARGS.log, "a", encoding="utf-8") as f:
            f.write(path + "\n")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output quiet
        pass

    def send_body(self, status, body, content_type="application/octet-stream"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, status, document):
        self.send_body(status, json.dumps(document).encode(), "application/json")

    def do_GET(self):
        log_request_line(self.path)
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/rows":
            return self.serve_rows(urllib.parse.parse_qs(url.query))
        parts = url.path.split("/")
        # ['', 'datasets', org, name, 'resolve', revision, *path]
        if len(parts) >= 7 and parts[1] == "datasets" and parts[4] == "resolve":
            return self.serve_file(parts[2], parts[3], "/".join(parts[6:]))
        return self.send_json(404, {"error": "no such endpoint"})

    def serve_file(self, org, name, rel):
        path = os.path.join(ARGS.root, org, name, rel)
        if "flaky" in rel and rel not in FLAKY_SEEN:
            FLAKY_SEEN.add(rel)
            return self.send_json(503, {"error": "try again later"})
        if not os.path.isfile(path):
            return self.send_json(404, {"error": "Entry not found"})
        with open(path, "rb") as f:
            body = f.read()
        if "die-midway" in rel:
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            os._exit(1)
        return self.send_body(200, body)

    def serve_rows(self, query):
        def one(key, default=None):
            values = query.get(key)
            return values[0] if values else default

        dataset, config, split = one("dataset"), one("config"), one("split")
        try:
            offset, length = int(one("offset", "0")), int(one("length", "100"))
        except ValueError:
            return self.send_json(422, {"error": "offset and length must be integers"})
        if length > 100 or length < 1:
            return self.send_json(422, {"error": "length must be between 1 and 100"})
        if not dataset or "/" not in dataset:
            return self.send_json(422, {"error": "bad dataset"})
        path = os.path.join(ARGS.root, dataset, f"{config}-{split}.rows.jsonl")
        if not os.path.isfile(path):
            return self.send_json(404, {"error": "The dataset does not exist."})
        with open(path, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
        page = []
        for i, row in enumerate(rows[offset : offset + length], start=offset):
            big = row.pop("__big__", False) and length > 1
            truncated = ["problem"] if row.pop("__truncate__", False) or big else []
            page.append({"row_idx": i, "row": row, "truncated_cells": truncated})
        return self.send_json(200, {"features": [], "rows": page, "num_rows_total": len(rows),
                                    "num_rows_per_page": 100, "partial": False})


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--log")
    ARGS = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
