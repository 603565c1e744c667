// llama.cpp's batched decode of S sequences that share one prompt, through node-llama-cpp (our own
// script; run it from the node-llama-cpp install that tests/conformance/setup_llref.sh makes — the
// wrapper bench/engine_batched_vs_llamacpp.sh copies it there, since `import "node-llama-cpp"`
// resolves from the script's folder).
//
// One context with `sequences: S`. node-llama-cpp's JS API has no KV copy between sequences, so every
// sequence evaluates the P-token prompt itself (concurrently, one batch; not timed). Then each
// sequence feeds G tokens one at a time; concurrent evaluations of a context's sequences are
// gathered into one llama_decode per step (the context's batching), so the S sequences decode in
// lock-step like reval's --batch. Aggregate tok/s = S * G / time. R rounds continue decoding
// (depth P + r*G); the median round is reported. Then single-stream decode (one sequence alone, in
// a context of one sequence, after the same prompt) for the ratio.
//   usage: node llamacpp_batched.mjs --model F [--threads N] [--sequences 16] [--prompt 128] [--gen 32]
//          [--reps 3] [--json out.json] [--no-single]
// With --sequences 1 --no-single it measures single-stream decode at depth P (decode at long context).
import fs from "node:fs";
import {getLlama, LlamaLogLevel} from "node-llama-cpp";

function parseArgs(argv) {
    const a = {model: null, threads: 1, sequences: 16, prompt: 128, gen: 32, reps: 3, json: null, single: true};
    for (let i = 2; i < argv.length; i++) {
        const key = argv[i], value = () => {
            if (i + 1 >= argv.length) throw new Error(`${key} needs a value`);
            return argv[++i];
        };
        switch (key) {
            case "--model": a.model = value(); break;
            case "--threads": a.threads = Number(value()); break;
            case "--sequences": a.sequences = Number(value()); break;
            case "--prompt": a.prompt = Number(value()); break;
            case "--gen": a.gen = Number(value()); break;
            case "--reps": a.reps = Number(value()); break;
            case "--json": a.json = value(); break;
            case "--no-single": a.single = false; break;
            default: throw new Error(`unknown option ${key}`);
        }
    }
    if (!a.model) throw new Error("--model is required");
    for (const k of ["threads", "sequences", "prompt", "gen", "reps"]) {
        if (!Number.isInteger(a[k]) || a[k] < 1) throw new Error(`--${k} must be a positive integer`);
    }
    return a;
}

const median = xs => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

const args = parseArgs(process.argv);
const llama = await getLlama({gpu: false, build: "never", logLevel: LlamaLogLevel.error, maxThreads: 0});
const model = await llama.loadModel({modelPath: args.model, gpuLayers: 0, useMmap: true});

// Deterministic token ids that exist in any vocabulary (the model's predictions are ignored).
const pool = model.tokenize("Once upon a time there was a little robot who loved to count prime numbers, " +
    "solve equations and write proofs about triangles, circles and the integers modulo seven.");
const tokenAt = (i, salt) => pool[(i * 7 + salt * 13) % pool.length];
const prompt = Array.from({length: args.prompt}, (_, i) => tokenAt(i, 0));
const perSequence = args.prompt + args.gen * args.reps + 8;

// ---- batched: S sequences in one context
const context = await model.createContext({contextSize: args.sequences * perSequence,
    batchSize: Math.max(512, args.sequences), threads: args.threads, sequences: args.sequences,
    flashAttention: false});
const seqs = Array.from({length: args.sequences}, () => context.getSequence());
const p0 = performance.now();
await Promise.all(seqs.map(s => s.evaluateWithoutGeneratingNewTokens(prompt)));
const prefillMs = performance.now() - p0;
const batched = [];
for (let r = 0; r < args.reps; r++) {
    const t0 = performance.now();
    await Promise.all(seqs.map(async (s, j) => {
        for (let i = 0; i < args.gen; i++) await s.evaluateWithoutGeneratingNewTokens([tokenAt(r * args.gen + i, j + 1)]);
    }));
    batched.push(args.sequences * args.gen / ((performance.now() - t0) / 1000));
}
await context.dispose();

// ---- single stream: one sequence, same prompt, same depth
const single = [];
if (args.single) {
    const ctx1 = await model.createContext({contextSize: perSequence, batchSize: 512, threads: args.threads,
        sequences: 1, flashAttention: false});
    const s = ctx1.getSequence();
    await s.evaluateWithoutGeneratingNewTokens(prompt);
    for (let r = 0; r < args.reps; r++) {
        const t0 = performance.now();
        for (let i = 0; i < args.gen; i++) await s.evaluateWithoutGeneratingNewTokens([tokenAt(r * args.gen + i, 1)]);
        single.push(args.gen / ((performance.now() - t0) / 1000));
    }
    await ctx1.dispose();
}

const result = {model: args.model, threads: args.threads, sequences: args.sequences, prompt_tokens: args.prompt,
    gen_tokens: args.gen, reps: args.reps, prefill_ms: prefillMs,
    batched_tok_s: median(batched), batched_all: batched, single_tok_s: single.length ? median(single) : null,
    single_all: single};
console.log(`llama.cpp threads=${args.threads}: ${args.sequences} x tg${args.gen} after pp${args.prompt}: ` +
    `${result.batched_tok_s.toFixed(2)} tok/s aggregate` +
    (args.single ? `; single-stream ${result.single_tok_s.toFixed(2)} tok/s` : ""));
if (args.json) fs.writeFileSync(args.json, JSON.stringify(result, null, 1));
await model.dispose();
await llama.dispose();
