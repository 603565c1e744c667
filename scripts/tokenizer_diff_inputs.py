#!/usr/bin/env python3
"""Generates random tokenizer test strings (seeded, reproducible) that stress the pre-tokenizers:
mixed scripts, digits, contractions, whitespace variants (tabs, CR/LF runs, NBSP, ideographic space),
combining marks, emoji, LaTeX and code. Output: a JSON list of strings on stdout.
Used by scripts/tokenizer_diff_vectors.mjs to record llama.cpp's token ids for them.
Usage: python3 scripts/tokenizer_diff_inputs.py [N] [SEED]
"""
import json
import random
import sys

WORDS = ["the", "The", "answer", "is", "Let", "x", "y", "we", "don't", "it's", "I'LL", "they're", "we'VE",
         "she'd", "I'm", "naïve", "café", "Ärger", "straße", "Ωmega", "привет", "мир", "γεια", "日本語", "中文",
         "한국어", "ひらがな", "カタカナ", "مرحبا", "שלום", "हिन्दी", "ไทย", "\\frac{1}{2}", "\\sqrt{x^2+1}",
         "$x$", "\\boxed{42}", "f(x)=x^2", "a_{n+1}", "O(n\\log n)", "def", "return", "x+=1;", "{}", "[]",
         "()", "=>", "!=", "<=", "...", "--", "__init__", "0x1F", "3.14159", "1,000,000", "2024", "12345678",
         "½", "²", "Ⅻ", "٣", "😀", "👍🏽", "🇺🇸", "e\u0301", "a\u0308\u0301", "\u200b", "\ufeff", "™", "©",
         "<|im_start|>", "<s>", "</s>", "<think>", "’", "“quoted”", "—", "…", "¿", "¡", "«", "»", "'", "\"",
         "A", "B", "Z", "ǅ", "ﬁ", "Ｆｕｌｌ", "１２３", "！", "，", "。", "、", "\u00ad"]
SPACES = [" ", " ", " ", " ", "  ", "   ", "\t", "\n", "\n\n", "\r\n", " \n", "\n ", "\u00a0", "\u3000",
          "\u2009", "\u0085", "\u2028", "", ""]


def random_string(rng):
    parts = []
    for _ in range(rng.randint(1, 24)):
        parts.append(rng.choice(WORDS))
        parts.append(rng.choice(SPACES))
    s = "".join(parts)
    if rng.random() < 0.2:
        s = rng.choice(SPACES) + s
    if rng.random() < 0.2:
        s = s.rstrip() + rng.choice(["   ", "\n", "\t \n", " "])
    return s


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 20240501
    rng = random.Random(seed)
    json.dump([random_string(rng) for _ in range(n)], sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
