// Records llama.cpp's token ids for a list of strings, through the prebuilt llama.cpp in the npm
// package node-llama-cpp@3.21.1 (see ../shared/tools/llref/README.md for the install).
// Usage (run from a folder whose node_modules holds node-llama-cpp):
//   node tokenizer_diff_vectors.mjs VOCAB.gguf INPUTS.json > OUT.json
// OUT.json: {"vocab": name, "cases": [{"text": ..., "ids": [...]}, ...]}; tokenized like llama.cpp's
// test-tokenizer-0: no BOS/EOS added, control-token text not parsed.
import {getLlama} from "node-llama-cpp";
import fs from "node:fs";
import path from "node:path";

const [vocabPath, inputsPath] = process.argv.slice(2);
const inputs = JSON.parse(fs.readFileSync(inputsPath, "utf8"));
const llama = await getLlama({gpu: false, logLevel: "error"});
const model = await llama.loadModel({modelPath: vocabPath, gpuLayers: 0, vocabOnly: true});
const cases = inputs.map((text) => ({text, ids: Array.from(model.tokenize(text, false))}));
process.stdout.write(JSON.stringify({vocab: path.basename(vocabPath), cases}) + "\n");
await model.dispose();
await llama.dispose();
