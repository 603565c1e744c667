#!/usr/bin/env python3
"""Overhead of `reval swe eval` alone: the sample instances with test_cmd "true" (the tests take ~0 s),
repeated COPIES times, one worker. Prints wall and CPU (user+sys of reval and every child process) per
instance; CPU time does not grow with machine load the way wall time does.

Usage: swe_overhead_only.py REVAL SAMPLES_DIR WORK_DIR [COPIES]
"""
import json
import resource
import subprocess
import sys
import time


def main():
    reval, samples, work = sys.argv[1], sys.argv[2], sys.argv[3]
    copies = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    rows = [json.loads(line) for line in open(samples + "/instances.jsonl")]
    instances = work + "/true.jsonl"
    with open(instances, "w") as f:
        for i in range(copies):
            for row in rows:
                f.write(json.dumps(dict(row, instance_id=f"{row['instance_id']}-copy{i}", test_cmd="true")) + "\n")
    out = work + "/true-out"
    cmd = [reval, "swe", "eval", "--instances", instances, "--repos", samples + "/mirrors", "--predictions", "gold",
           "--out", out, "--cache-dir", work + "/cache", "--workers", "1"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    n = copies * len(rows)
    summary = json.load(open(out + "/summary.json"))
    print(f"overhead-only (test_cmd=true, {n} instances, 1 worker): wall {1000 * wall / n:.1f} ms/instance, "
          f"CPU {1000 * cpu / n:.1f} ms/instance, median reported overhead "
          f"{summary['reval']['median_overhead_ms']:.1f} ms")


if __name__ == "__main__":
    main()
