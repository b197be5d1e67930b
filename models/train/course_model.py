#!/usr/bin/env python3
"""MediGen Lab's CPU course model: a small llama that MediGen Lab creates itself, so a student
without a GPU can run the whole fine-tuning loop (train, convert, generate, score) in minutes.

  python course_model.py --out DIR --text-csv TRAIN.csv [--merges 400] [--hidden 128] [--layers 2]
                         [--heads 4] [--kv-heads 2] [--ffn 256] [--max-positions 8192] [--seed 1234]
                         [--chat-template T]

It learns a byte-level BPE tokenizer from the CSV's dialogue and note text (so clinical words are
few tokens), builds a LlamaForCausalLM with seeded random weights, and saves model (safetensors,
float32) and tokenizer (with the chat template) into DIR. Its notes are noise before fine-tuning;
that is the point of the lesson: the LoRA run teaches it the shape of a clinical note.
Prints one JSON line: {"vocab_size", "params", "transformers"}.
"""
import argparse, csv, json, sys

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("--out", required=True)
ap.add_argument("--text-csv", required=True)
ap.add_argument("--merges", type=int, default=400)
ap.add_argument("--chat-template", default="")
ap.add_argument("--seed", type=int, default=1234)
for flag, default in [("--hidden", 128), ("--layers", 2), ("--heads", 4), ("--kv-heads", 2), ("--ffn", 256), ("--max-positions", 8192)]:
    ap.add_argument(flag, type=int, default=default)
args = ap.parse_args()

try:
    import torch
    import transformers
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
except ImportError as e:
    print(json.dumps({"error": f"The training environment lacks {e.name}.", "hint": "Run `medigen train setup` (or \"MediGen Lab: Set Up Training Environment\"), then try again."}))
    sys.exit(1)

SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]

csv.field_size_limit(sys.maxsize)
with open(args.text_csv, encoding="utf-8", newline="") as f:
    rows = list(csv.DictReader(f))
texts = [r.get(c, "") for r in rows for c in ("dialogue", "note") if r.get(c)]
if not texts:
    print(json.dumps({"error": f"{args.text_csv} has no dialogue or note text to learn a vocabulary from.", "hint": "Give the ACI-BENCH train CSV (columns dataset, encounter_id, dialogue, note)."}))
    sys.exit(1)

tk = Tokenizer(models.BPE())
tk.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
tk.decoder = decoders.ByteLevel()
tk.post_processor = processors.ByteLevel(trim_offsets=False)
alphabet = pre_tokenizers.ByteLevel.alphabet()
tk.train_from_iterator(texts, trainers.BpeTrainer(vocab_size=len(SPECIALS) + len(alphabet) + args.merges, special_tokens=SPECIALS, initial_alphabet=alphabet, show_progress=False))
tok = transformers.PreTrainedTokenizerFast(tokenizer_object=tk, bos_token="<|endoftext|>", eos_token="<|im_end|>", pad_token="<|endoftext|>", unk_token=None)
if args.chat_template:
    tok.chat_template = args.chat_template

torch.manual_seed(args.seed)
config = transformers.LlamaConfig(vocab_size=tk.get_vocab_size(), hidden_size=args.hidden, num_hidden_layers=args.layers,
                                  num_attention_heads=args.heads, num_key_value_heads=args.kv_heads, intermediate_size=args.ffn,
                                  max_position_embeddings=args.max_positions, rms_norm_eps=1e-5, rope_theta=10000.0, tie_word_embeddings=False,
                                  initializer_range=0.1, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id)
model = transformers.LlamaForCausalLM(config)
with torch.no_grad():  # larger random embeddings than the default, so greedy choices are clear-cut
    model.model.embed_tokens.weight.normal_(0, 1.0)
model.save_pretrained(args.out, safe_serialization=True)
tok.save_pretrained(args.out)
print(json.dumps({"vocab_size": tk.get_vocab_size(), "params": sum(p.numel() for p in model.parameters()), "transformers": transformers.__version__}))
