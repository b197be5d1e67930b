#!/usr/bin/env python3
"""MediGen Lab's (Q)LoRA trainer: instruction-tunes a causal LM on ACI-BENCH notes.

One GPU:      python trainer.py --config run/config.json
No GPU:       the same with "device": "cpu" in the config (plain LoRA in float32; tiny models and smoke runs only)
Several GPUs: accelerate launch --num_processes 4 trainer.py --config run/config.json
Resume:       python trainer.py --config run/config.json --resume     (from the last checkpoint)
Environment:  python trainer.py --check-env                            (what is installed, GPUs)

The run folder (the config's "run_dir"; relative paths in the config are relative to its folder) gets: checkpoints/step-N/ (adapter, optimizer, scheduler,
step, RNG state), adapter/ (the final PEFT adapter, safetensors), metrics.jsonl, the resolved
config, and live-rouge/step-N.jsonl (with training.liveRougeSamples > 0: greedy notes for the first N
validation examples, before training and at each evaluation, with their reference notes; MediGen Lab
scores them with ACI-BENCH's ROUGE, models/train/liveRouge.ts). Progress goes to stdout as JSON
lines, {"medigen": 1, "type": ...} (see models/train/protocol.ts); everything else (library warnings) goes to stderr, which the launcher
writes to a log file. On SIGTERM the trainer saves a checkpoint and exits cleanly.

Devices: the config's "device" is "auto" (default: CUDA, and an error when no GPU is visible),
"cuda", or "cpu" (only when chosen explicitly: 4-bit QLoRA needs bitsandbytes on a CUDA GPU, so CPU
runs train plain LoRA on a float32 base, which is far too slow for real models).

Reads top to bottom: protocol, settings, environment, data, model, evaluation, schedule, loop.
"""
import argparse, contextlib, json, math, os, random, signal, sys, time, traceback

PROTOCOL = 1
IS_MAIN = int(os.environ.get("RANK", "0")) == 0


def emit(type_, **fields):
    """One protocol message on stdout (main process only)."""
    if IS_MAIN:
        sys.stdout.write(json.dumps({"medigen": PROTOCOL, "type": type_, **fields}) + "\n")
        sys.stdout.flush()


def fail(category, message, hint, code=1):
    emit("error", category=category, message=message, hint=hint)
    sys.exit(code)


# ---------------------------------------------------------------------------------------------
# settings: the JSON config written by MediGen Lab (models/train/config.ts), resolved with data paths
ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("--config", help="resolved run config (JSON)")
ap.add_argument("--resume", action="store_true", help="continue from the newest checkpoint in the run folder")
ap.add_argument("--check-env", action="store_true", help="print what is installed and which GPUs are visible, then exit")
ap.add_argument("--print-prompts", metavar="JSONL", help="print the system and user text the trainer builds for each example of an instruction JSONL, then exit")
ap.add_argument("--tokenizer", metavar="MODEL", help="with --print-prompts: also print the prompt text rendered with this model's chat template, as training sees it")
args = ap.parse_args()


def example_messages(ex, where, system_default=""):
    """The (system, user, note) of one instruction example: chat form {"messages": [...]} as
    `medigen train` writes it (the same messages `medigen generate` sends, datasets/instructions.ts),
    or the study's {"instruction", "input", "output"} form (user = instruction, blank line, input).
    Refuses examples without a dialogue or a note, naming the file and line."""
    if not isinstance(ex, dict):
        raise ValueError(f"{where} is not a JSON object")
    if "messages" in ex:
        by_role = {}
        for m in ex["messages"]:
            by_role.setdefault(m.get("role"), m.get("content") or "")
        system, user, note = by_role.get("system", system_default), by_role.get("user", ""), by_role.get("assistant", "")
    elif "output" in ex and ("instruction" in ex or "input" in ex):
        instruction, inp = (ex.get("instruction") or "").strip(), (ex.get("input") or "").strip()
        system, user, note = system_default, (instruction + "\n\n" + inp if inp else instruction), ex.get("output") or ""
    else:
        raise ValueError(f"{where} has neither \"messages\" nor \"instruction\"/\"input\"/\"output\" (keys: {', '.join(ex.keys()) or 'none'})")
    if not user.strip():
        raise ValueError(f"{where} has an empty prompt (no instruction or dialogue)")
    if not note.strip():
        raise ValueError(f"{where} has an empty note (nothing to learn from)")
    return system, user, note


def render_prompt(tok, system, user):
    """The prompt text: the model's chat template with the system and user messages (as
    node-llama-cpp applies it at generation time), or plain text for a model without one."""
    if getattr(tok, "chat_template", None):
        msgs = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": user}]
        try:
            return tok.apply_chat_template(msgs, tokenize=False, add_generation_prompt=True)
        except Exception:  # noqa: BLE001  (a template without a system role: the system text leads the user message)
            return tok.apply_chat_template([{"role": "user", "content": (system + "\n\n" + user) if system else user}], tokenize=False, add_generation_prompt=True)
    return (system + "\n\n" if system else "") + user + "\n\n"


def render_prompt_ids(tok, system, user):
    """The prompt's token ids as the generator feeds them: node-llama-cpp's chat wrappers start the
    context with the model's BOS token, so a chat-templated prompt that does not begin with it (ChatML
    has none) gets it in front here too. Without this, a model trained on short prompts meets a
    token at generation that it never saw in training. Plain-text prompts take the tokenizer's own
    special tokens."""
    has_template = bool(getattr(tok, "chat_template", None))
    ids = tok(render_prompt(tok, system, user), add_special_tokens=not has_template)["input_ids"]
    bos = tok.bos_token_id
    if has_template and bos is not None and (not ids or ids[0] != bos):
        ids = [bos] + ids
    return ids


if args.print_prompts:
    ptok = None
    if args.tokenizer:
        from transformers import AutoTokenizer
        ptok = AutoTokenizer.from_pretrained(args.tokenizer)
    with open(args.print_prompts, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                system, user, _ = example_messages(json.loads(line), f"line {n}")
                row = {"system": system, "user": user}
                if ptok is not None:
                    row["text"] = render_prompt(ptok, system, user)
                    row["ids"] = render_prompt_ids(ptok, system, user)
                sys.stdout.write(json.dumps(row) + "\n")
    sys.exit(0)


def check_env():
    report = {"python": sys.version.split()[0], "packages": {}, "cuda": False, "gpus": []}
    for name in ["torch", "transformers", "peft", "accelerate", "bitsandbytes", "safetensors"]:
        try:
            mod = __import__(name)
            report["packages"][name] = getattr(mod, "__version__", "installed")
        except Exception:
            report["packages"][name] = None
    if report["packages"]["torch"]:
        import torch
        report["cuda"] = bool(torch.cuda.is_available())
        for i in range(torch.cuda.device_count() if report["cuda"] else 0):
            free, total = torch.cuda.mem_get_info(i)
            report["gpus"].append({"name": torch.cuda.get_device_name(i), "memory_total": total, "memory_free": free})
    emit("environment", **report)


if args.check_env:
    check_env()
    sys.exit(0)
if not args.config:
    fail("config", "No --config was given.", "Launch training from MediGen Lab, or pass --config <run folder>/config.json.", 2)
try:
    with open(args.config, encoding="utf-8") as f:
        cfg = json.load(f)
    # Relative paths are relative to the config's folder, so a run folder can move (e.g. to a cluster).
    config_dir = os.path.dirname(os.path.abspath(args.config))
    run_dir = os.path.normpath(os.path.join(config_dir, cfg.get("run_dir") or "."))
    train_file, valid_file = (os.path.join(config_dir, cfg["data"][k]) for k in ("train_file", "valid_file"))
    T, Q, LORA = cfg["training"], cfg["quantization"], cfg["lora"]
except Exception as e:  # noqa: BLE001
    fail("config", f"Could not read the run config {args.config}: {e}", "Launch the run again from MediGen Lab so it writes a complete config.")

stop_requested = False


def on_sigterm(signum, frame):
    global stop_requested
    stop_requested = True


signal.signal(signal.SIGTERM, on_sigterm)
signal.signal(signal.SIGINT, on_sigterm)

# ---------------------------------------------------------------------------------------------
# environment
missing = []
try:
    import torch
except ImportError:
    missing.append("torch")
# The device is checked before the slower imports, so a machine without a GPU hears it at once.
device_choice = str(cfg.get("device", "auto") or "auto")
on_cpu = device_choice == "cpu"
if not missing:
    if device_choice not in ("auto", "cuda", "cpu"):
        fail("config", f"\"device\" must be auto, cuda or cpu (found \"{device_choice}\").", "Fix the device setting in the run config and launch again.")
    if not on_cpu and not torch.cuda.is_available():
        fail("no_gpu", "No CUDA GPU is visible to PyTorch.",
             "Fine-tuning needs an NVIDIA GPU. Check `nvidia-smi`; on a cluster use the generated SLURM script. "
             "To try the training loop on a tiny model without a GPU, set \"device\": \"cpu\" in the config.")
use_cuda = not on_cpu
OutOfMemory = (getattr(torch, "OutOfMemoryError", None) or torch.cuda.OutOfMemoryError) if not missing else MemoryError
try:
    import transformers
    from transformers import AutoModelForCausalLM, AutoTokenizer, StoppingCriteria, StoppingCriteriaList, get_scheduler
except ImportError:
    missing.append("transformers")
try:
    import peft
    from peft import LoraConfig, get_peft_model, set_peft_model_state_dict, get_peft_model_state_dict
except ImportError:
    missing.append("peft")
if missing:
    fail("missing_dependency", f"The training environment lacks {', '.join(missing)}.",
         "Run \"MediGen Lab: Set up training environment\" (or `medigen train setup`) to install the pinned requirements, then launch again.")

use_4bit = bool(Q.get("load4bit", True))
if use_4bit and on_cpu:
    use_4bit = False
    emit("log", level="warning", message="4-bit QLoRA needs bitsandbytes on a CUDA GPU, so this CPU run trains plain LoRA on a float32 base (about 8x the weight memory of 4-bit). That suits tiny models and smoke runs only.")
elif use_4bit:
    try:
        import bitsandbytes  # noqa: F401
        from transformers import BitsAndBytesConfig
    except ImportError:
        use_4bit = False
        emit("log", level="warning", message="bitsandbytes is not installed, so 4-bit QLoRA is OFF: training plain LoRA on a bf16 base (needs about 4x the weight memory).")

# The loop accumulates gradients itself, so Accelerator gets no gradient_accumulation_steps (it would
# divide the loss a second time), and the scheduler is not prepared (prepared, it steps once per process).
try:
    from accelerate import Accelerator
    accelerator = Accelerator(cpu=on_cpu)
except ImportError:
    accelerator = None
device = accelerator.device if accelerator else torch.device("cpu" if on_cpu else "cuda")
world = accelerator.num_processes if accelerator else 1

seed = int(T["seed"])
random.seed(seed)
torch.manual_seed(seed)

# ---------------------------------------------------------------------------------------------
# data: instruction JSONL ({"instruction", "input", "output"}) made by `medigen data export`
try:
    tok = AutoTokenizer.from_pretrained(cfg["baseModel"])
except Exception as e:  # noqa: BLE001
    fail("model", f"Could not load the tokenizer of {cfg['baseModel']}: {e}", "Check that baseModel is a downloaded Hugging Face model folder (config.json, tokenizer files, weights).")
if tok.pad_token is None:
    tok.pad_token = tok.eos_token
max_len = int(cfg["data"]["maxSeqLength"])


has_template = bool(getattr(tok, "chat_template", None))
system_default = str(cfg["data"].get("systemPrompt") or "")


def render(system, user):
    return render_prompt(tok, system, user)


def prompt_ids(system, user):
    return render_prompt_ids(tok, system, user)


def encode(system, user, note):
    """Prompt tokens are masked (label -100): the loss is on the note only."""
    p = prompt_ids(system, user)
    t = tok(note.strip(), add_special_tokens=False)["input_ids"] + [tok.eos_token_id]
    if len(p) + len(t) > max_len:
        # Keep the note (up to half the budget, more when the prompt is short); cut the dialogue's end
        # inside the user message, so the template's closing part (the assistant header) stays.
        t = t[: max(max_len // 2, max_len - len(p))]
        budget = max(0, max_len - len(t) - len(prompt_ids(system, "")))
        user_ids = tok(user, add_special_tokens=False)["input_ids"]
        if len(user_ids) > budget:
            p = prompt_ids(system, tok.decode(user_ids[:budget]))
        # Still too long (the system prompt alone is over budget): keep the prompt's end, after its
        # first token (the BOS the generator always sends).
        keep = max_len - len(t)
        if len(p) > keep:
            p = p[:1] + p[len(p) - keep + 1:] if keep > 1 else p[:keep]
    return {"input_ids": p + t, "labels": [-100] * len(p) + t, "prompt_len": len(p)}


def load_jsonl(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    rows.append(encode(*example_messages(json.loads(line), f"{path} line {n}", system_default)))
                except Exception as e:  # noqa: BLE001
                    fail("data", f"{path} line {n} is not a usable instruction example: {e}.", "Let `medigen train` build the data from a split name or an ACI-BENCH CSV (data.train / data.valid), or re-create the file with `medigen data export --format chat`.")
    if not rows:
        fail("data", f"{path} has no examples.", "Check the split you chose for training has encounters.")
    return rows


train_rows, valid_rows = load_jsonl(train_file), load_jsonl(valid_file)

# Live ROUGE: a fixed sample (the first N validation examples) whose notes are generated at each
# evaluation with the prompt training uses (the same truncation); MediGen Lab scores them.
rouge_samples = int(T.get("liveRougeSamples", 0) or 0)
rouge_max_tokens = int(T.get("liveRougeMaxTokens", 512) or 512)


def live_samples(path, n):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if len(rows) >= n:
                break
            if line.strip():
                system, user, note = example_messages(json.loads(line), path, system_default)
                enc = encode(system, user, note)
                rows.append({"index": len(rows), "prompt": enc["input_ids"][: enc["prompt_len"]], "reference": note})
    return rows


live_rows = live_samples(valid_file, rouge_samples) if rouge_samples > 0 else []


def collate(batch):
    n = max(len(b["input_ids"]) for b in batch)
    ids = torch.full((len(batch), n), tok.pad_token_id, dtype=torch.long)
    labels = torch.full((len(batch), n), -100, dtype=torch.long)
    mask = torch.zeros((len(batch), n), dtype=torch.long)
    for i, b in enumerate(batch):
        ids[i, : len(b["input_ids"])] = torch.tensor(b["input_ids"])
        labels[i, : len(b["labels"])] = torch.tensor(b["labels"])
        mask[i, : len(b["input_ids"])] = 1
    return {"input_ids": ids, "labels": labels, "attention_mask": mask}


def batches(rows, epoch, bs, even=True):
    """This process's shard of the epoch's shuffled rows, in batches. With several processes every
    shard gets the same number of rows (even=True drops up to world-1 rows of the epoch, different
    ones each epoch), so all processes step, and synchronise gradients, in lockstep."""
    order = list(range(len(rows)))
    random.Random(seed + epoch).shuffle(order)
    if even and world > 1:
        order = order[: len(order) - len(order) % world]
    rank = accelerator.process_index if accelerator else 0
    order = order[rank::world]
    return [collate([rows[i] for i in order[k:k + bs]]) for k in range(0, len(order), bs)]


# ---------------------------------------------------------------------------------------------
# model: 4-bit NF4 base with double quantization and bf16 compute (QLoRA), LoRA on top
# On CPU the base stays in float32 and autocast is off: CPU autocast gains little and its bf16 rounding
# makes a tiny model's loss noisy.
compute_dtype = torch.float32 if on_cpu else torch.bfloat16 if Q.get("computeDtype", "bfloat16") == "bfloat16" else torch.float16
load_kw = {} if on_cpu else {"device_map": {"": accelerator.local_process_index if accelerator else 0}}
dtype_key = "dtype" if int(transformers.__version__.split(".")[0]) >= 5 else "torch_dtype"
load_kw[dtype_key] = compute_dtype
if use_4bit:
    load_kw["quantization_config"] = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type=Q.get("quantType", "nf4"),
                                                         bnb_4bit_use_double_quant=bool(Q.get("doubleQuant", True)), bnb_4bit_compute_dtype=compute_dtype)
try:
    model = AutoModelForCausalLM.from_pretrained(cfg["baseModel"], **load_kw)
except OutOfMemory:
    fail("out_of_memory", "The GPU ran out of memory while loading the base model.", "Turn on 4-bit loading, or choose a smaller base model; the preflight estimate shows what fits.")
except Exception as e:  # noqa: BLE001
    fail("model", f"Could not load {cfg['baseModel']}: {e}", "Check that baseModel is a downloaded causal-LM folder with its weights.")
if on_cpu:
    model = model.to(device)
if use_4bit:
    model = peft.prepare_model_for_kbit_training(model, use_gradient_checkpointing=bool(T["gradientCheckpointing"]))
elif T["gradientCheckpointing"]:
    model.gradient_checkpointing_enable()
    model.enable_input_require_grads()
model.config.use_cache = False
model = get_peft_model(model, LoraConfig(r=LORA["r"], lora_alpha=LORA["alpha"], lora_dropout=LORA["dropout"],
                                         target_modules=LORA["targetModules"], bias="none", task_type="CAUSAL_LM"))
trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
total_params = sum(p.numel() for p in model.parameters())


def autocast():
    return torch.autocast("cuda", dtype=compute_dtype) if use_cuda else contextlib.nullcontext()


def memory_now():
    return torch.cuda.memory_allocated() if use_cuda else 0


def memory_peak():
    return torch.cuda.max_memory_allocated() if use_cuda else 0


# ---------------------------------------------------------------------------------------------
# schedule
bs, accum = int(T["batchSize"]), int(T["gradientAccumulation"])
micro_per_epoch = math.ceil((len(train_rows) - len(train_rows) % world) / world / bs)
if micro_per_epoch < accum:
    fail("config", f"One epoch has {micro_per_epoch} batches per process, fewer than the gradient accumulation of {accum}, so no optimizer step would ever happen.",
         f"Lower gradientAccumulation to at most {max(1, micro_per_epoch)} or the batch size, or train on more examples.")
steps_per_epoch = max(1, micro_per_epoch // accum)  # an epoch's leftover micro-batches (fewer than accum) are dropped
total_steps = int(T["maxSteps"]) or max(1, int(math.ceil(steps_per_epoch * float(T["epochs"]))))
optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=float(T["learningRate"]), weight_decay=float(T["weightDecay"]))
scheduler = get_scheduler(T["schedule"] if T["schedule"] != "constant" else "constant_with_warmup", optimizer,
                          num_warmup_steps=int(total_steps * float(T["warmupRatio"])), num_training_steps=total_steps)
if accelerator:
    model, optimizer = accelerator.prepare(model, optimizer)

ckpt_root = os.path.join(run_dir, "checkpoints")
os.makedirs(ckpt_root, exist_ok=True)


def unwrap(m):
    return accelerator.unwrap_model(m) if accelerator else m


position = {"epoch": 0, "batches_done": 0}  # where in the data the loop is (for an exact resume)


def save_checkpoint(step):
    path = os.path.join(ckpt_root, f"step-{step}")
    if IS_MAIN:
        tmp = path + ".tmp"
        os.makedirs(tmp, exist_ok=True)
        unwrap(model).save_pretrained(tmp, safe_serialization=True)
        torch.save({"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(), "step": step, "position": dict(position),
                    "rng": {"python": random.getstate(), "torch": torch.get_rng_state(), "cuda": torch.cuda.get_rng_state_all() if use_cuda else None},
                    "config": cfg}, os.path.join(tmp, "trainer_state.pt"))
        if os.path.exists(path):
            import shutil
            shutil.rmtree(path)
        os.replace(tmp, path)
        emit("checkpoint", step=step, path=path)
    return path


def latest_checkpoint():
    steps = [int(d.split("-")[1]) for d in os.listdir(ckpt_root)
             if d.startswith("step-") and not d.endswith(".tmp") and os.path.exists(os.path.join(ckpt_root, d, "trainer_state.pt"))]
    return (max(steps), os.path.join(ckpt_root, f"step-{max(steps)}")) if steps else (0, None)


start_step = 0
if args.resume:
    start_step, path = latest_checkpoint()
    if path:
        from safetensors.torch import load_file
        try:
            set_peft_model_state_dict(unwrap(model), load_file(os.path.join(path, "adapter_model.safetensors"), device=str(device)))
            state = torch.load(os.path.join(path, "trainer_state.pt"), weights_only=False, map_location="cpu")
            optimizer.load_state_dict(state["optimizer"])
            scheduler.load_state_dict(state["scheduler"])
        except Exception as e:  # noqa: BLE001
            fail("crashed", f"The checkpoint {path} cannot be loaded: {e}", f"Delete the folder {path} so the run resumes from the checkpoint before it, or start the run again.")
        random.setstate(state["rng"]["python"])
        torch.set_rng_state(state["rng"]["torch"])
        if use_cuda and state["rng"].get("cuda") is not None:
            torch.cuda.set_rng_state_all(state["rng"]["cuda"])
        # Older checkpoints have no position: count micro-batches from the start, as before.
        position.update(state.get("position") or {"epoch": 0, "batches_done": start_step * accum})
    else:
        emit("log", level="warning", message="--resume was given but the run has no checkpoint yet; starting from step 0.")


def across_processes(values):
    """Sums a list of numbers over all processes (several GPUs: each evaluates its shard)."""
    if world == 1:
        return values
    t = torch.tensor(values, dtype=torch.float64, device=device)
    return accelerator.reduce(t, reduction="sum").tolist()


@torch.no_grad()
def evaluate():
    """Mean validation loss over every validation example (each process takes its shard), and how many."""
    model.eval()
    total, count = 0.0, 0
    for b in batches(valid_rows, 0, bs, even=False):  # every example once; the shards may differ by one
        b = {k: v.to(device) for k, v in b.items()}
        with autocast():
            total += unwrap(model)(**b).loss.float().item() * len(b["input_ids"])
        count += len(b["input_ids"])
    model.train()
    total, count = across_processes([total, count])
    return total / max(1, count), int(count)


class StopWhenAsked(StoppingCriteria):
    """Ends a live-ROUGE generation at the next token once a stop (SIGTERM) was asked for."""

    def __call__(self, input_ids, scores, **kwargs):
        return torch.full((input_ids.shape[0],), stop_requested, dtype=torch.bool, device=input_ids.device)


@torch.no_grad()
def write_live_notes(step):
    """Greedy notes for the live-ROUGE sample with the current adapter (main process; batches of the
    training batch size, left-padded), written to live-rouge/step-N.jsonl with their reference notes,
    then a "samples" message. Running out of memory here turns live ROUGE off, not the run."""
    global live_rows
    if not live_rows:
        return
    if IS_MAIN:
        t = time.time()
        m = unwrap(model)
        model.eval()
        out, tokens, cut = [], 0, 0
        try:
            for k in range(0, len(live_rows), bs):
                chunk = live_rows[k:k + bs]
                n = max(len(c["prompt"]) for c in chunk)
                ids = torch.full((len(chunk), n), tok.pad_token_id, dtype=torch.long)
                mask = torch.zeros((len(chunk), n), dtype=torch.long)
                for i, c in enumerate(chunk):
                    ids[i, n - len(c["prompt"]):] = torch.tensor(c["prompt"])
                    mask[i, n - len(c["prompt"]):] = 1
                with autocast():
                    gen = m.generate(input_ids=ids.to(device), attention_mask=mask.to(device), max_new_tokens=rouge_max_tokens, do_sample=False,
                                     pad_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id, use_cache=True,
                                     stopping_criteria=StoppingCriteriaList([StopWhenAsked()]))
                if stop_requested:
                    break
                for i, c in enumerate(chunk):
                    new = gen[i, n:].tolist()
                    ended = tok.eos_token_id in new
                    new = new[: new.index(tok.eos_token_id)] if ended else new
                    tokens += len(new)
                    cut += 0 if ended else 1
                    out.append({"index": c["index"], "reference": c["reference"], "prediction": tok.decode(new, skip_special_tokens=True).strip(), "tokens": len(new), "cut": not ended})
        except OutOfMemory:
            live_rows = []
            if use_cuda:
                torch.cuda.empty_cache()
            emit("log", level="warning", message=f"Live ROUGE ran out of GPU memory at step {step}, so it is off for the rest of this run (training goes on). "
                 "Lower training.liveRougeSamples or training.liveRougeMaxTokens for the next run.")
        except Exception as e:  # noqa: BLE001  (generation is a side measurement: it never stops the training)
            live_rows = []
            traceback.print_exc(file=sys.stderr)
            emit("log", level="warning", message=f"Live ROUGE could not generate notes at step {step} ({e}), so it is off for the rest of this run (training goes on). "
                 "The log file has the details; set training.liveRougeSamples to 0 to leave it off.")
        finally:
            model.train()
        if stop_requested:
            emit("log", level="info", message=f"Live ROUGE at step {step} was left unfinished: the run is stopping.")
        elif live_rows:
            folder = os.path.join(run_dir, "live-rouge")
            os.makedirs(folder, exist_ok=True)
            path = os.path.join(folder, f"step-{step}.jsonl")
            with open(path + ".tmp", "w", encoding="utf-8") as f:
                f.write("".join(json.dumps(r) + "\n" for r in out))
            os.replace(path + ".tmp", path)
            emit("samples", step=step, file=path, count=len(out), indices=[r["index"] for r in out], max_new_tokens=rouge_max_tokens,
                 tokens=tokens, cut=cut, elapsed=time.time() - t)
    if accelerator and world > 1:
        accelerator.wait_for_everyone()


# ---------------------------------------------------------------------------------------------
# the loop
emit("started", run_id=os.path.basename(os.path.normpath(run_dir)), total_steps=total_steps,
     device=f"CPU ({torch.get_num_threads()} thread{'s' if torch.get_num_threads() != 1 else ''})" if on_cpu else torch.cuda.get_device_name(device.index or 0),
     gpus=[] if on_cpu else [{"name": torch.cuda.get_device_name(i), "memory_total": torch.cuda.get_device_properties(i).total_memory} for i in range(torch.cuda.device_count())],
     quantization="nf4-4bit" + ("+double-quant" if Q.get("doubleQuant", True) else "") if use_4bit else "none (float32 LoRA on CPU)" if on_cpu else f"none ({str(compute_dtype).replace('torch.', '')} LoRA)",
     trainable_params=trainable, total_params=total_params, resumed_from_step=start_step)
metrics = open(os.path.join(run_dir, "metrics.jsonl"), "a", encoding="utf-8")


def record(rec):
    metrics.write(json.dumps(rec) + "\n")
    metrics.flush()


model.train()
if use_cuda:
    torch.cuda.reset_peak_memory_stats()
if start_step == 0:
    write_live_notes(0)  # the curve's first point: the base model (a fresh LoRA adapter changes nothing)
step, t0, tokens, best_eval, last_loss = start_step, time.time(), 0, None, float("nan")
epoch, skip = int(position["epoch"]), int(position["batches_done"])  # batches of that epoch done before the checkpoint
try:
    while step < total_steps and not stop_requested:
        epoch_batches = batches(train_rows, epoch, bs)
        n_batches = len(epoch_batches)
        while skip >= n_batches and n_batches:  # an old-style position past this epoch's end
            skip -= n_batches
            epoch += 1
            epoch_batches = batches(train_rows, epoch, bs)
        micro, acc_loss = 0, 0.0
        optimizer.zero_grad(set_to_none=True)  # an epoch's leftover micro-batches (fewer than accum) are dropped
        for i in range(skip, n_batches - (n_batches - skip) % accum):
            b = {k: v.to(device) for k, v in epoch_batches[i].items()}
            micro += 1
            last_micro = micro % accum == 0
            sync = contextlib.nullcontext() if last_micro or not accelerator or world == 1 else accelerator.no_sync(model)
            with sync:
                with autocast():
                    loss = model(**b).loss / accum
                (accelerator.backward(loss) if accelerator else loss.backward())
            acc_loss += loss.float().item()
            tokens += int(b["attention_mask"].sum()) * world
            if not last_micro:
                continue
            torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
            position.update(epoch=epoch, batches_done=i + 1)
            last_loss, acc_loss = across_processes([acc_loss])[0] / world, 0.0
            elapsed = time.time() - t0
            if step % int(T["logEvery"]) == 0 or step == total_steps:
                rec = dict(step=step, epoch=round(epoch + (i + 1) / max(1, n_batches), 3), loss=last_loss,
                           lr=scheduler.get_last_lr()[0], tokens_per_second=tokens / max(elapsed, 1e-6), gpu_memory=memory_now(),
                           gpu_memory_peak=memory_peak(), elapsed=elapsed)
                emit("step", **rec)
                record({"type": "step", **rec})
            if step % int(T["evalEvery"]) == 0 or step == total_steps:
                ev, n_eval = evaluate()
                best_eval = ev if best_eval is None else min(best_eval, ev)
                emit("eval", step=step, eval_loss=ev, examples=n_eval)
                record({"type": "eval", "step": step, "eval_loss": ev, "examples": n_eval})
                write_live_notes(step)
            if step % int(T["checkpointEvery"]) == 0:
                save_checkpoint(step)
            if step >= total_steps or stop_requested:
                break
        else:
            epoch, skip = epoch + 1, 0
            position.update(epoch=epoch, batches_done=0)
            continue
        break
except OutOfMemory:
    fail("out_of_memory", f"The GPU ran out of memory at step {step} (peak {memory_peak() / 2**30:.1f} GiB).",
         "Lower the batch size or the maximum sequence length, or turn on gradient checkpointing; then resume.")
except Exception as e:  # noqa: BLE001
    traceback.print_exc(file=sys.stderr)
    fail("crashed", f"Training stopped with an error at step {step}: {e}", "The log file has the details. Fix the cause and resume from the last checkpoint.")


def peak_process_memory():
    """Peak resident memory of this process in bytes (Linux and macOS), for CPU runs' reports."""
    try:
        import resource
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024
    except Exception:  # noqa: BLE001
        return 0


if on_cpu:
    emit("log", level="info", message=f"Peak memory of the trainer process: {peak_process_memory() / 2**20:.0f} MiB.")

if stop_requested:
    path = save_checkpoint(step)
    emit("stopped", step=step, checkpoint=path, reason="cancelled")
    sys.exit(0)

adapter_dir = os.path.join(run_dir, "adapter")
if IS_MAIN:
    unwrap(model).save_pretrained(adapter_dir, safe_serialization=True)
emit("finished", step=step, adapter_dir=adapter_dir, train_loss=last_loss, best_eval_loss=best_eval,
     elapsed=time.time() - t0, gpu_memory_peak=memory_peak())
