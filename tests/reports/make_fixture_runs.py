#!/usr/bin/env python3
"""Writes realistic run folders (docs/run-format.md, version 1) for the report tests and benchmark.

    make_fixture_runs.py OUT                      # the fixture set (see FIXTURES below)
    make_fixture_runs.py OUT --scale P S T [R]    # R runs (default 3) x P problems x S samples x ~T tokens

The fixture set holds three runs of one model on the same 12 AIME-style problems (Q4_K_M, F16, API),
one API run on a 10-problem subset (for the problem-set intersection), and two SWE runs. The Q4_K_M run
contains a sample whose text tries to break out of the page (`</script><script>alert(1)`), an unknown
field in every file, and a torn last line in samples.jsonl. summary.json is computed here the way the
harness does (pass@1 mean, unbiased pass@k, majority-vote cons@k, bootstrap 95% intervals), so tests can
check that the report shows exactly summary.json's numbers.
"""
import hashlib
import json
import math
import os
import random
import sys

XSS = '</script><script>alert(1)</script><img src=x onerror="alert(2)"> & <!-- -->'
WORDS = ("so the sum of the roots is then we square both sides and simplify modulo the prime factor "
         "wait let me recheck this case by case the triangle has area and the circle is tangent hence "
         "the answer must be an integer between 0 and 999 therefore consider the polynomial").split()


def paragraph_pool(rng, n=64, words=400):
    return [" ".join(rng.choice(WORDS) for _ in range(words)) + ".\n\n" for _ in range(n)]


def text_of_tokens(rng, pool, n_tokens):
    # ~4 characters per token, like English text under a BPE vocabulary.
    target = n_tokens * 4
    parts, size = [], 0
    while size < target:
        p = rng.choice(pool)
        parts.append(p)
        size += len(p)
    return "".join(parts)[:target]


def pass_at_k(n, c, k):
    if n - c < k:
        return 1.0
    prod = 1.0
    for i in range(n - c + 1, n + 1):
        prod *= 1.0 - k / i
    return 1.0 - prod


def estimate(scores, seed=0, n_resamples=2000):
    n = len(scores)
    mean = sum(scores) / n
    var = sum((s - mean) ** 2 for s in scores) / (n - 1) if n > 1 else 0.0
    rng = random.Random(seed)
    means = sorted(sum(scores[rng.randrange(n)] for _ in range(n)) / n for _ in range(n_resamples))
    return {"value": mean, "stderr": math.sqrt(var / n), "ci95": [means[int(0.025 * n_resamples)], means[int(0.975 * n_resamples) - 1]]}


def majority_correct(answers, correct, k):
    counts, first = {}, {}
    for i, a in enumerate(answers[:k]):
        if a == "":
            continue
        counts[a] = counts.get(a, 0) + 1
        first.setdefault(a, i)
    if not counts:
        return 0.0, ""
    best = max(counts, key=lambda a: (counts[a], -first[a]))
    return (1.0 if correct[first[best]] else 0.0), best


def write_jsonl(path, rows, torn_tail=None):
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
        if torn_tail:
            f.write(torn_tail)


def write_run(out, name, *, model, suite, problems, skill, samples, tokens, seed, wall_time_s=3600.0,
              xss=False, torn=False, swe=False, pool=None):
    rng = random.Random(seed)
    pool = pool or paragraph_pool(rng)
    folder = os.path.join(out, name)
    os.makedirs(folder, exist_ok=True)
    k = samples
    metrics = ["pass@1"] if swe else ["pass@1", f"cons@{k}", f"pass@{k}"]
    run = {
        "format_version": 1, "reval_version": "0.1.0", "run_id": name,
        "suite": {"name": suite, "dataset": suite, "grader": "swe" if swe else "integer", "n_problems": len(problems),
                  "prompt": {"system": None, "user": "{problem}\nPlease reason step by step, and put your final answer within \\boxed{}."},
                  "metrics": metrics},
        "model": model,
        "sampling": {"temperature": 0.6, "top_p": 0.95, "max_tokens": 32768, "samples": samples, "seed": seed},
        "started": "2026-11-29T14:00:00Z",
        "finished": "2026-11-29T%02d:%02d:00Z" % (14 + int(wall_time_s) // 3600, (int(wall_time_s) % 3600) // 60),
        "machine": {"host": "bench-host", "cpu": "AMD EPYC 7B13", "n_threads": 2},
        "settings_hash": "%064x" % rng.getrandbits(256),
        "future_field": {"ignored": True},
    }
    with open(os.path.join(folder, "run.json"), "w", encoding="utf-8") as f:
        json.dump(run, f, indent=1)
    write_jsonl(os.path.join(folder, "problems.jsonl"),
                [dict(p, extra_field="kept out of the report") for p in problems])

    sample_rows, grade_rows, per_problem = [], [], []
    n_truncated = completion_total = reasoning_total = answer_total = 0
    for pi, problem in enumerate(problems):
        p_correct = 1 / (1 + math.exp(-(skill - problem["difficulty"])))
        answers, correct = [], []
        for s in range(samples):
            ok = rng.random() < p_correct
            truncated = not ok and rng.random() < 0.15
            answer = problem["answer"] if ok else ("" if truncated else str(rng.choice([17, 42, 108, 204, 360])))
            reasoning_tokens = max(50, int(rng.gauss(tokens * 0.9, tokens * 0.2)))
            answer_tokens = 0 if truncated else max(10, int(tokens * 0.1))
            reasoning = text_of_tokens(rng, pool, reasoning_tokens)
            text = "" if truncated else f"The final answer is \\boxed{{{answer}}}. " + text_of_tokens(rng, pool, answer_tokens)
            extracted = answer
            if xss and pi == 2 and s == 1:
                text, reasoning, extracted, ok, answer = XSS + " \\boxed{" + XSS + "}", "thinking " + XSS, XSS, False, XSS
            finish = "length" if truncated else "stop"
            n_truncated += truncated
            completion = reasoning_tokens + answer_tokens
            completion_total += completion
            reasoning_total += reasoning_tokens
            answer_total += answer_tokens
            sample_rows.append({"problem_id": problem["id"], "sample": s, "text": text, "reasoning": reasoning,
                                "finish_reason": finish, "prompt_tokens": 120, "completion_tokens": completion,
                                "reasoning_tokens": reasoning_tokens, "latency_ms": completion * 12,
                                "seed": seed * 1000 + s, "request_hash": "%016x" % rng.getrandbits(64), "error": None,
                                "unknown_field": [1, 2, 3]})
            grade = {"problem_id": problem["id"], "sample": s, "correct": ok, "extracted": extracted,
                     "canonical": answer, "reason": "equivalent" if ok else ("truncated" if truncated else "not_equivalent"),
                     "rule": "boxed", "grader_version": 7}
            if swe:
                f2p = problem["f2p"]
                passed = f2p if ok else f2p[:1]
                grade["swe"] = {"resolved": ok, "patch_applied": ok or rng.random() < 0.5, "apply_method": "git apply -v",
                                "FAIL_TO_PASS": {"success": passed, "failure": [t for t in f2p if t not in passed]},
                                "PASS_TO_PASS": {"success": problem["p2p"], "failure": []}}
            grade_rows.append(grade)
            answers.append(answer)
            correct.append(ok)
        c = sum(correct)
        cons, cons_answer = majority_correct(answers, correct, k)
        per_problem.append({"problem_id": problem["id"], "n": samples, "correct": c, "pass@1": c / samples,
                            "cons_answer": cons_answer, "cons_correct": bool(cons), "_cons": cons})
    torn_tail = '{"problem_id": "1", "sample": 99, "text": "cut off mid-wr' if torn else None
    write_jsonl(os.path.join(folder, "samples.jsonl"), sample_rows, torn_tail)
    write_jsonl(os.path.join(folder, "grades.jsonl"), grade_rows)

    n = len(sample_rows)
    summary_metrics = {"pass@1": estimate([p["correct"] / samples for p in per_problem])}
    if not swe:
        summary_metrics[f"cons@{k}"] = estimate([p["_cons"] for p in per_problem])
        summary_metrics[f"pass@{k}"] = estimate([pass_at_k(samples, p["correct"], k) for p in per_problem])
    for p in per_problem:
        del p["_cons"]
    summary = {
        "format_version": 1, "suite": suite, "model": model["name"], "backend": model["backend"],
        "n_problems": len(problems), "n_samples": n, "k": k, "metrics": summary_metrics,
        "truncated_fraction": n_truncated / n, "errors": 0,
        "mean_reasoning_tokens": reasoning_total / n, "mean_answer_tokens": answer_total / n,
        "wall_time_s": wall_time_s, "completion_tokens": completion_total,
        "tokens_per_s": completion_total / wall_time_s,
        "cost_usd": None if model["price_per_mtok"] is None else
        (120 * n * model["price_per_mtok"]["input"] + completion_total * model["price_per_mtok"]["output"]) / 1e6,
        "per_problem": per_problem,
    }
    with open(os.path.join(folder, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=1)


def builtin_model(file, quantization):
    return {"backend": "builtin", "name": "DeepSeek-R1-Distill-Qwen-1.5B", "base_url": None,
            "file": f"/models/{file}", "file_sha256": hashlib.sha256(file.encode()).hexdigest(),
            "quantization": quantization, "price_per_mtok": None}


def api_model():
    return {"backend": "api", "name": "deepseek-reasoner", "base_url": "https://api.deepseek.com", "file": None,
            "file_sha256": None, "quantization": None, "price_per_mtok": {"input": 0.55, "output": 2.19}}


def math_problems(n, rng):
    return [{"id": str(60 + i), "problem": f"Problem {60 + i}: find the remainder when 7^{i + 3} + {i} is divided by 1000. "
             "Express your answer as an integer; inputs like <b>bold</b> must show as text.",
             "answer": str(pow(7, i + 3, 1000) + i), "meta": {"url": f"https://example.org/aime/{i}"},
             "difficulty": rng.uniform(-2.5, 2.5)} for i in range(n)]


def fixtures(out):
    rng = random.Random(7)
    problems = math_problems(12, rng)
    pool = paragraph_pool(rng, n=16, words=120)
    common = dict(suite="aime24", samples=8, tokens=600, pool=pool)
    write_run(out, "aime24-q4km", model=builtin_model("DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf",
              {"Q4_K": 169, "Q6_K": 29, "F32": 141}), problems=problems, skill=-0.8, seed=1, xss=True, torn=True, **common)
    write_run(out, "aime24-f16", model=builtin_model("DeepSeek-R1-Distill-Qwen-1.5B-F16.gguf", {"F16": 197, "F32": 141}),
              problems=problems, skill=-0.2, seed=2, **common)
    write_run(out, "aime24-api", model=api_model(), problems=problems, skill=1.2, seed=3, wall_time_s=1800.0, **common)
    write_run(out, "aime24-api-subset", model=api_model(), problems=problems[:10], skill=1.2, seed=4, **common)
    swe = [{"id": f"astropy__astropy-{12900 + i}", "problem": f"Fix issue #{i}: <script>alert('swe')</script> in units.",
            "answer": "", "meta": {}, "difficulty": rng.uniform(-1, 1),
            "f2p": [f"tests/test_units.py::test_case_{i}_{j}" for j in range(2)],
            "p2p": [f"tests/test_units.py::test_existing_{j}" for j in range(3)]} for i in range(5)]
    for name, skill, seed in (("swe-api", 0.5, 5), ("swe-f16", -0.5, 6)):
        model = api_model() if name == "swe-api" else builtin_model("DeepSeek-R1-Distill-Qwen-1.5B-F16.gguf", {"F16": 197})
        write_run(out, name, model=model, suite="swe-verified", problems=swe, skill=skill, samples=1, tokens=300,
                  seed=seed, swe=True, pool=pool)


def scale(out, n_problems, n_samples, n_tokens, n_runs):
    rng = random.Random(11)
    problems = math_problems(n_problems, rng)
    pool = paragraph_pool(rng)
    for r in range(n_runs):
        model = api_model() if r == n_runs - 1 else builtin_model(f"DeepSeek-R1-Distill-Qwen-1.5B-run{r}.gguf", {"Q4_K": 169})
        write_run(out, f"scale-{r}", model=model, suite="math500", problems=problems, skill=0.5 * r, samples=n_samples,
                  tokens=n_tokens, seed=100 + r, pool=pool)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = argv[1]
    os.makedirs(out, exist_ok=True)
    if len(argv) >= 6 and argv[2] == "--scale":
        scale(out, int(argv[3]), int(argv[4]), int(argv[5]), int(argv[6]) if len(argv) > 6 else 3)
    else:
        fixtures(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
