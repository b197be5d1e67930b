#!/usr/bin/env python3
"""Test helper of the real-trainer suite (runs in .cache/train-venv): a tiny random llama in
Hugging Face format, and greedy continuations from it (with or without a PEFT adapter).

  make   --out DIR --text-csv FILE [--merges N] [--chat-template T] [--seed S]
         [--hidden 64 --layers 2 --heads 4 --kv-heads 2 --ffn 128 --vocab V --max-positions 2048
          --dtype float32 --device cpu]
         Trains a byte-level BPE tokenizer (N merges) on the CSV's dialogue and note text, builds a
         LlamaForCausalLM (by default hidden 64, 2 layers, 4 heads, 2 kv heads, ffn 128) with random
         weights and saves model (safetensors) and tokenizer (with the chat template) into DIR.
         Bigger shapes (the GPU memory runs: a Llama-3-8B-shaped model) are initialised on --device
         and saved in --dtype; --vocab pads the embedding to V rows (real models' vocabulary size).
  greedy --model DIR [--adapter DIR [--with-base]] --prompt TEXT --tokens N
         Prints {"prompt_ids", "ids", "text", "min_gap", "stop_ids"} of the greedy continuation
         (stops at a special token; min_gap is the smallest top-1/top-2 logit margin seen).
  tokenize --model DIR --texts JSON
         Prints {"ids": [[...], ...]}: each text's token ids (special tokens parsed, none added).
Everything is printed as one JSON line on stdout.
"""
import argparse, csv, json, sys

ap = argparse.ArgumentParser()
sub = ap.add_subparsers(dest="cmd", required=True)
mk = sub.add_parser("make")
mk.add_argument("--out", required=True)
mk.add_argument("--text-csv", required=True)
mk.add_argument("--merges", type=int, default=400)
mk.add_argument("--chat-template", default="")
mk.add_argument("--seed", type=int, default=1234)
for flag, default in [("--hidden", 64), ("--layers", 2), ("--heads", 4), ("--kv-heads", 2), ("--ffn", 128), ("--vocab", 0), ("--max-positions", 2048)]:
    mk.add_argument(flag, type=int, default=default)
mk.add_argument("--dtype", default="float32", choices=["float32", "bfloat16"])
mk.add_argument("--device", default="cpu")
gr = sub.add_parser("greedy")
gr.add_argument("--model", required=True)
gr.add_argument("--adapter")
gr.add_argument("--with-base", action="store_true", help="with --adapter: also the base model's continuation, as \"base\"")
gr.add_argument("--prompt", required=True)
gr.add_argument("--tokens", type=int, default=8)
tk_ = sub.add_parser("tokenize")
tk_.add_argument("--model", required=True)
tk_.add_argument("--texts", required=True, help="JSON list of strings")
args = ap.parse_args()

import torch  # noqa: E402
import transformers  # noqa: E402

SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]


def make():
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    csv.field_size_limit(sys.maxsize)
    with open(args.text_csv, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    texts = [r.get(c, "") for r in rows for c in ("dialogue", "note")]
    tk = Tokenizer(models.BPE())
    tk.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tk.decoder = decoders.ByteLevel()
    tk.post_processor = processors.ByteLevel(trim_offsets=False)
    alphabet = pre_tokenizers.ByteLevel.alphabet()
    trainer = trainers.BpeTrainer(vocab_size=len(SPECIALS) + len(alphabet) + args.merges, special_tokens=SPECIALS,
                                  initial_alphabet=alphabet, show_progress=False)
    tk.train_from_iterator(texts, trainer)
    tok = transformers.PreTrainedTokenizerFast(tokenizer_object=tk, bos_token="<|endoftext|>", eos_token="<|im_end|>",
                                               pad_token="<|endoftext|>", unk_token=None)
    if args.chat_template:
        tok.chat_template = args.chat_template
    torch.manual_seed(args.seed)
    config = transformers.LlamaConfig(vocab_size=max(args.vocab, tk.get_vocab_size()), hidden_size=args.hidden, num_hidden_layers=args.layers,
                                      num_attention_heads=args.heads, num_key_value_heads=args.kv_heads, intermediate_size=args.ffn,
                                      max_position_embeddings=args.max_positions, rms_norm_eps=1e-5, rope_theta=10000.0, tie_word_embeddings=False,
                                      initializer_range=0.1 if args.hidden <= 256 else 0.02, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id)
    with torch.device(args.device):
        model = transformers.LlamaForCausalLM(config)
    with torch.no_grad():  # larger random weights than the default 0.02, so greedy choices are clear-cut
        model.model.embed_tokens.weight.normal_(0, 1.0)
    model = model.to(getattr(torch, args.dtype))
    model.save_pretrained(args.out, safe_serialization=True)
    tok.save_pretrained(args.out)
    print(json.dumps({"vocab_size": tk.get_vocab_size(), "params": sum(p.numel() for p in model.parameters()),
                      "transformers": transformers.__version__}))


@torch.no_grad()
def greedy():
    tok = transformers.AutoTokenizer.from_pretrained(args.model)
    model = transformers.AutoModelForCausalLM.from_pretrained(args.model, dtype=torch.float32)
    model.eval()
    base = continuation(tok, model) if args.adapter and args.with_base else None
    if args.adapter:
        from peft import PeftModel
        model = PeftModel.from_pretrained(model, args.adapter)
        model.eval()
    print(json.dumps({**continuation(tok, model), **({"base": base} if base else {})}))


def continuation(tok, model):
    prompt_ids = tok(args.prompt, add_special_tokens=False)["input_ids"]
    ids = list(prompt_ids)
    stops = {tok.convert_tokens_to_ids(t) for t in SPECIALS}
    out, gaps = [], []
    for _ in range(args.tokens):
        logits = model(input_ids=torch.tensor([ids])).logits[0, -1]
        top = torch.topk(logits, 2)
        gaps.append(float(top.values[0] - top.values[1]))
        nxt = int(top.indices[0])
        if nxt in stops:
            break
        out.append(nxt)
        ids.append(nxt)
    return {"prompt_ids": prompt_ids, "ids": out, "text": tok.decode(out), "min_gap": min(gaps) if gaps else None, "stop_ids": sorted(stops)}


def tokenize():
    tok = transformers.AutoTokenizer.from_pretrained(args.model)
    print(json.dumps({"ids": [tok(t, add_special_tokens=False)["input_ids"] for t in json.loads(args.texts)]}))


{"make": make, "greedy": greedy, "tokenize": tokenize}[args.cmd]()
