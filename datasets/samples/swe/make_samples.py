#!/usr/bin/env python3
"""Builds reval's original SWE-style sample instances into OUT_DIR (run at test/demo time).

Each sample folder holds base/ (the repository at base_commit), gold.diff (the fix), test.diff (the
tests that decide FAIL_TO_PASS / PASS_TO_PASS) and instance.json (the rest of the SWE-bench row).
The repositories are committed with a fixed identity and date, so base_commit is the same on every
machine. Writes:

  OUT_DIR/instances.jsonl                  one SWE-bench row per sample (FAIL_TO_PASS etc. JSON-encoded)
  OUT_DIR/repos/<instance_id>.bundle       a bundle with branch swe/<instance_id> at base_commit
  OUT_DIR/mirrors/<owner>__<name>.git      a bare mirror per repository (the other --repos layout)

Usage: make_samples.py OUT_DIR
"""
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = ["calc", "slug"]
GIT_ENV = {
    "GIT_AUTHOR_NAME": "reval samples",
    "GIT_AUTHOR_EMAIL": "samples@reval.invalid",
    "GIT_AUTHOR_DATE": "2025-01-01T00:00:00+0000",
    "GIT_COMMITTER_NAME": "reval samples",
    "GIT_COMMITTER_EMAIL": "samples@reval.invalid",
    "GIT_COMMITTER_DATE": "2025-01-01T00:00:00+0000",
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": "/nonexistent",
}


def git(args, cwd):
    env = dict(os.environ)
    env.update(GIT_ENV)
    return subprocess.run(["git", "-c", "init.defaultBranch=main", "-c", "core.autocrlf=false"] + args,
                          cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout.strip()


def build_sample(name, out_dir, work_dir):
    sample = os.path.join(HERE, name)
    with open(os.path.join(sample, "instance.json")) as f:
        meta = json.load(f)
    instance_id = meta["instance_id"]
    repo_dir = os.path.join(work_dir, name)
    shutil.copytree(os.path.join(sample, "base"), repo_dir)
    git(["init", "-q"], repo_dir)
    git(["add", "-A"], repo_dir)
    git(["commit", "-q", "-m", "base"], repo_dir)
    base_commit = git(["rev-parse", "HEAD"], repo_dir)
    branch = "swe/" + instance_id
    git(["branch", branch], repo_dir)
    git(["bundle", "create", "-q", os.path.join(out_dir, "repos", instance_id + ".bundle"), branch], repo_dir)
    mirror = os.path.join(out_dir, "mirrors", meta["repo"].replace("/", "__") + ".git")
    git(["clone", "-q", "--bare", repo_dir, mirror], work_dir)

    with open(os.path.join(sample, "gold.diff")) as f:
        patch = f.read()
    with open(os.path.join(sample, "test.diff")) as f:
        test_patch = f.read()
    row = {
        "repo": meta["repo"],
        "instance_id": instance_id,
        "base_commit": base_commit,
        "patch": patch,
        "test_patch": test_patch,
        "problem_statement": meta["problem_statement"],
        "hints_text": "",
        "created_at": "2025-01-01T00:00:00Z",
        "version": meta["version"],
        "FAIL_TO_PASS": json.dumps(meta["FAIL_TO_PASS"]),
        "PASS_TO_PASS": json.dumps(meta["PASS_TO_PASS"]),
        "environment_setup_commit": base_commit,
        "test_cmd": meta["test_cmd"],
        "log_parser": meta["log_parser"],
        "bundle_ref": "refs/heads/" + branch,
    }
    return row


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_samples.py OUT_DIR")
    out_dir = os.path.abspath(sys.argv[1])
    work_dir = os.path.join(out_dir, "build")
    for sub in ("repos", "mirrors", "build"):
        path = os.path.join(out_dir, sub)
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path)
    rows = [build_sample(name, out_dir, work_dir) for name in SAMPLES]
    shutil.rmtree(work_dir)
    with open(os.path.join(out_dir, "instances.jsonl"), "w") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")
    print(out_dir)


if __name__ == "__main__":
    main()
