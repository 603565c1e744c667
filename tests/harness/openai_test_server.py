#!/usr/bin/env python3
"""A scripted OpenAI-compatible chat-completions server for reval's harness tests (stdlib only).

Usage: openai_test_server.py --script SCRIPT.json --port-file PATH [--log LOG.jsonl]

Binds 127.0.0.1 on a free port, writes the port to --port-file, and answers POST /v1/chat/completions
from the script. Each request is keyed by (last user message, seed); the n-th attempt of a key gets
the n-th entry of the first rule whose "match" is a substring of the user message (the last entry
repeats); a rule with "by_seed": [entries] instead answers entry seed % len (a deterministic mix of
samples). Script:

  {"require_key": "sk-test",                     # optional: 401 unless "Authorization: Bearer sk-test"
   "delay_s": 0.0,                               # optional: added to every response
   "default": [{"answer": "0"}],
   "rules": [{"match": "Problem A", "responses": [{"status": 429, "retry_after": 1}, {"answer": "42"}]}]}

A response entry may hold:
  answer        content "... \\boxed{ANSWER}"      content        the exact content
  reasoning     reasoning_content                 think_in_content  put "<think>reasoning</think>" in content
  finish_reason "stop" (default) or "length"      usage          {"prompt": n, "completion": n, "reasoning": n}
  status        an HTTP error status, with optional "retry_after" (seconds) and "error" (message)
  stall         seconds to sleep before answering (use to exceed the client's timeout)
  malformed     true: a 200 whose body is not JSON
  reset         true: close the connection with a TCP reset instead of answering
  stream_cut    true: for stream requests, send part of the SSE stream and then drop the connection
  echo_seed     true: content "seed SEED: \\boxed{ANSWER}" (shows which seed a sample was drawn with)

Every request is logged as one JSON line: {"t": unix time, "key": user message, "seed": n, "attempt": n,
"stream": bool, "authorization": bool, "entry": the entry used}.
"""
import argparse
import json
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class State:
    def __init__(self, script, log_path):
        self.script = script
        self.log_path = log_path
        self.lock = threading.Lock()
        self.attempts = {}

    def next_entry(self, key, seed):
        with self.lock:
            n = self.attempts.get((key, seed), 0)
            self.attempts[(key, seed)] = n + 1
        responses = self.script.get("default", [{"answer": "0"}])
        for rule in self.script.get("rules", []):
            if rule["match"] in key:
                if "by_seed" in rule:
                    by_seed = rule["by_seed"]
                    return n, by_seed[(seed or 0) % len(by_seed)]
                responses = rule["responses"]
                break
        return n, responses[min(n, len(responses) - 1)]

    def log(self, record):
        if not self.log_path:
            return
        with self.lock:
            with open(self.log_path, "a") as f:
                f.write(json.dumps(record) + "\n")


def content_of(entry, seed=None):
    if entry.get("echo_seed"):
        return "seed %s: \\boxed{%s}" % (seed, entry.get("answer", "0"))
    if "content" in entry:
        content = entry["content"]
    else:
        content = "So the final answer is \\boxed{%s}." % entry.get("answer", "0")
    if entry.get("think_in_content"):
        content = "<think>" + entry.get("reasoning", "") + "</think>" + content
    return content


def usage_of(entry):
    usage = entry.get("usage", {})
    return {
        "prompt_tokens": usage.get("prompt", 20),
        "completion_tokens": usage.get("completion", 100),
        "total_tokens": usage.get("prompt", 20) + usage.get("completion", 100),
        "completion_tokens_details": {"reasoning_tokens": usage.get("reasoning", 60)},
    }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # quiet
        pass

    def send_json(self, status, body, extra_headers=()):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in extra_headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def reset_connection(self):
        # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def do_POST(self):
        state = self.server.state
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        if self.path != "/v1/chat/completions":
            self.send_json(404, {"error": {"message": "no route " + self.path}})
            return
        try:
            body = json.loads(raw)
        except ValueError:
            self.send_json(400, {"error": {"message": "request body is not JSON"}})
            return
        user = [m["content"] for m in body.get("messages", []) if m.get("role") == "user"]
        key = user[-1] if user else ""
        seed = body.get("seed")
        stream = bool(body.get("stream"))
        auth = self.headers.get("Authorization", "")
        required = state.script.get("require_key")
        if required is not None and auth != "Bearer " + required:
            state.log({"t": time.time(), "key": key, "seed": seed, "attempt": -1, "stream": stream,
                       "authorization": bool(auth), "entry": {"status": 401}})
            self.send_json(401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}})
            return
        attempt, entry = state.next_entry(key, seed)
        state.log({"t": time.time(), "key": key, "seed": seed, "attempt": attempt, "stream": stream,
                   "authorization": bool(auth), "entry": entry})
        delay = state.script.get("delay_s", 0) + entry.get("stall", 0)
        if delay:
            time.sleep(delay)
        if entry.get("reset"):
            self.reset_connection()
            return
        if "status" in entry:
            headers = []
            if "retry_after" in entry:
                headers.append(("Retry-After", str(entry["retry_after"])))
            self.send_json(entry["status"], {"error": {"message": entry.get("error", "scripted error")}}, headers)
            return
        if entry.get("malformed"):
            self.send_json(200, b'{"choices": [{"message": {"content": "unterminated')
            return
        if stream:
            self.send_stream(seed, entry)
            return
        message = {"role": "assistant", "content": content_of(entry, seed)}
        if "reasoning" in entry and not entry.get("think_in_content"):
            message["reasoning_content"] = entry["reasoning"]
        self.send_json(200, {
            "id": "chatcmpl-test", "object": "chat.completion", "model": body.get("model"),
            "choices": [{"index": 0, "message": message, "finish_reason": entry.get("finish_reason", "stop")}],
            "usage": usage_of(entry),
        })

    def send_chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def send_stream(self, seed, entry):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        events = []
        if "reasoning" in entry and not entry.get("think_in_content"):
            events.append({"reasoning_content": entry["reasoning"]})
        content = content_of(entry, seed)
        half = len(content) // 2
        events += [{"content": content[:half]}, {"content": content[half:]}]
        for i, delta in enumerate(events):
            chunk = {"id": "chatcmpl-test", "object": "chat.completion.chunk",
                     "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}
            self.send_chunk(b"data: " + json.dumps(chunk).encode() + b"\n\n")
            if entry.get("stream_cut") and i == 0:
                self.reset_connection()
                return
        final = {"id": "chatcmpl-test", "object": "chat.completion.chunk",
                 "choices": [{"index": 0, "delta": {}, "finish_reason": entry.get("finish_reason", "stop")}],
                 "usage": usage_of(entry)}
        self.send_chunk(b"data: " + json.dumps(final).encode() + b"\n\n")
        self.send_chunk(b"data: [DONE]\n\n")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--script", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--log", default="")
    args = parser.parse_args()
    with open(args.script) as f:
        script = json.load(f)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.state = State(script, args.log)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    import os
    os.replace(args.port_file + ".tmp", args.port_file)
    try:
        server.serve_forever(poll_interval=0.05)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
