#!/usr/bin/env python3
"""Renders conversations through the real Jinja chat templates to produce the expected strings our C++
renderers (engine/chat/) must reproduce. Development-time only; its output is committed as
tests/data/chat/expected_renders.json.

Needs jinja2 (Debian: python3-jinja2). Renders the way HF transformers' apply_chat_template does:
sandboxed environment with trim_blocks and lstrip_blocks, raise_exception available.

Usage: python3 scripts/gen_chat_template_expectations.py ../shared/data/chat_templates \
           > tests/data/chat/expected_renders.json
"""
import json
import os
import sys

from jinja2.sandbox import ImmutableSandboxedEnvironment

DEEPSEEK_BOS = "<\uff5cbegin\u2581of\u2581sentence\uff5c>"
LLAMA3_BOS = "<|begin_of_text|>"

# Templates from ../shared/data/chat_templates, with the name of our renderer that must match them.
TEMPLATE_FILES = [
    ("deepseek-ai-DeepSeek-R1-Distill-Qwen-32B.jinja", "deepseek-r1", DEEPSEEK_BOS),
    ("deepseek-ai-DeepSeek-R1-Distill-Llama-8B.jinja", "deepseek-r1", DEEPSEEK_BOS),
    ("llama-cpp-deepseek-r1.jinja", "deepseek-r1-llamacpp", DEEPSEEK_BOS),
    ("Qwen-Qwen2.5-7B-Instruct.jinja", "qwen2.5", ""),
    ("meta-llama-Llama-3.1-8B-Instruct.jinja", "llama3.1", LLAMA3_BOS),
]

# Templates not in the shared folder, as published in the models' tokenizer_config.json: Qwen2's
# ChatML (also in llama.cpp's ggml-vocab-qwen2.gguf) and Meta-Llama-3-8B-Instruct's.
INLINE_TEMPLATES = [
    ("qwen2-chatml",
     "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
     "{{ '<|im_start|>system\\nYou are a helpful assistant<|im_end|>\\n' }}{% endif %}"
     "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}"
     "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}",
     "qwen2", ""),
    ("llama3-instruct",
     "{% set loop_messages = messages %}{% for message in loop_messages %}"
     "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'"
     "+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}"
     "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
     "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}",
     "llama3", LLAMA3_BOS),
]

CONVERSATIONS = [
    ("system+user", [
        {"role": "system", "content": "You are a careful mathematician."},
        {"role": "user", "content": "What is 2+2? Put the answer in \\boxed{}."},
    ], True),
    ("user only", [
        {"role": "user", "content": "Find all real x with x^2 = 4.\nPlease reason step by step."},
    ], True),
    ("multi-turn with thinking", [
        {"role": "system", "content": "  Be brief.  "},
        {"role": "user", "content": "  Hi there  "},
        {"role": "assistant", "content": "<think>\nThe user greets.\n</think>\n\nHello!"},
        {"role": "user", "content": "\u00bfQu\u00e9 tal? \u4f60\u597d"},
    ], True),
    ("no generation prompt", [
        {"role": "user", "content": "Say hi."},
        {"role": "assistant", "content": "hi"},
    ], False),
]


def raise_exception(message):
    raise RuntimeError(message)


def render(env, source, messages, add_generation_prompt, bos):
    template = env.from_string(source)
    return template.render(messages=messages, add_generation_prompt=add_generation_prompt,
                           bos_token=bos, eos_token="", enable_thinking=True)


def main():
    folder = sys.argv[1]
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    env.globals["raise_exception"] = raise_exception
    sources = []
    for file_name, ours, bos in TEMPLATE_FILES:
        with open(os.path.join(folder, file_name), encoding="utf-8") as f:
            sources.append((file_name, f.read(), ours, bos))
    for label, text, ours, bos in INLINE_TEMPLATES:
        sources.append((label, text, ours, bos))
    cases = []
    for source_name, text, ours, bos in sources:
        for conversation, messages, add_gen in CONVERSATIONS:
            cases.append({
                "template": source_name,
                "renderer": ours,
                "conversation": conversation,
                "messages": messages,
                "add_generation_prompt": add_gen,
                "bos_token": bos,
                "expected": render(env, text, messages, add_gen, bos),
            })
    json.dump({"generator": "scripts/gen_chat_template_expectations.py", "cases": cases,
               "inline_templates": {label: text for label, text, _, _ in INLINE_TEMPLATES}},
              sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
