/**
 * Note generation with node-llama-cpp: the instruction and dialogue are formatted with the model's
 * own chat template, the exact prompt text and its token count are exposed, text streams as it is
 * generated, and generation can be seeded, constrained to the SOAP section layout, stopped, and
 * run with a LoRA adapter. One context holds several sequences so notes can be generated in parallel.
 */
import type { ChatHistoryItem, ChatWrapper, LlamaContext, LlamaContextSequence, LlamaGrammar, LlamaModel, Token } from 'node-llama-cpp';
import { MedigenError } from '../../core/index';
import type { InstructionOptions } from '../../datasets/index';
import type { Encounter } from '../../datasets/index';
import { readGgufHeader } from '../gguf/index';
import { nodeLlamaCpp } from './lib';
import { noteGrammar, soapGrammarWithin, type NoteGrammarOptions } from './grammar';
import type { LoadedLlm } from './load';
import { noteMessages } from '../../datasets/index';

/** A LoRA adapter file and how strongly to apply it. */
export interface LoraAdapter {
  path: string;
  /** Multiplies the adapter's update. Defaults to 1. */
  scale?: number;
}

/** Options of `NoteGenerator.create`. */
export interface NoteGeneratorOptions extends InstructionOptions {
  /** A LoRA adapter (path, or path and scale) applied on top of the model. */
  lora?: string | LoraAdapter;
  /** Tokens of context per sequence (prompt + note). Defaults to the smaller of the model's trained context and 8192. */
  contextSize?: number;
  /** Notes generated at the same time on one context. Defaults to 1. */
  sequences?: number;
  /** Evaluation threads. Defaults to the loaded model's setting. */
  threads?: number;
  /**
   * Most tokens a prompt may have: a longer user message (instruction and dialogue) is cut at its
   * end, exactly as the trainer cuts a training example, so a model fine-tuned on short sequences is
   * asked the way it learned. Defaults to no limit (only the context size).
   */
  maxPromptTokens?: number;
}

/** Options of one generation. */
export interface GenerateOptions {
  /** Most tokens to generate. Defaults to 1024. */
  maxTokens?: number;
  /** Sampling temperature; 0 always takes the most likely token. Defaults to 0. */
  temperature?: number;
  /** Nucleus sampling: sample from the smallest set of tokens whose probability adds up to this. Defaults to 0.95. */
  topP?: number;
  /** Sample only from the `topK` most likely tokens (0: no limit). Defaults to 40. */
  topK?: number;
  /** Seed for sampling; the same seed and settings give the same note. Defaults to 0. */
  seed?: number;
  /** 'free' text, or 'soap' (the default SOAP sections, in order) or grammar options. Defaults to 'free'. */
  grammar?: 'free' | 'soap' | NoteGrammarOptions;
  /** Receives text as it is generated. */
  onTextChunk?: (text: string) => void;
  /** Stops generation; the text so far is returned with stopReason 'abort'. */
  signal?: AbortSignal;
}

/** The prompt exactly as the model sees it. */
export interface RenderedPrompt {
  /** The text, with the chat template's special tokens written out. */
  text: string;
  tokens: Token[];
  system: string;
  /** The user message as sent (cut at its end when the prompt was longer than maxPromptTokens). */
  user: string;
  /** Tokens of the user message cut off to fit maxPromptTokens (0: nothing was cut). */
  cutTokens: number;
}

/** One generated note. */
export interface GenerationResult {
  text: string;
  prompt: RenderedPrompt;
  generatedTokens: number;
  /** 'eogToken' (the model or grammar finished), 'maxTokens', 'abort', or another node-llama-cpp reason. */
  stopReason: string;
  ms: number;
  tokensPerSecond: number;
}

/** Checks an adapter file fits a model: a LoRA GGUF of the same architecture whose tensors all exist in the model. */
export async function checkAdapter(adapterPath: string, loaded: LoadedLlm): Promise<void> {
  const info = await readGgufHeader(adapterPath);
  const m = info.metadata;
  if (m['general.type'] !== 'adapter' || m['adapter.type'] !== 'lora') {
    throw new MedigenError(`${adapterPath} is not a LoRA adapter (general.type=${String(m['general.type'] ?? 'missing')}).`, 'Give the adapter .gguf produced by fine-tuning (medigen train, then conversion to GGUF) as --lora, and the full model as --model.');
  }
  if (m['general.architecture'] !== loaded.summary.architecture) {
    throw new MedigenError(`The adapter ${adapterPath} is for a ${String(m['general.architecture'])} model, but the model is ${loaded.summary.architecture}.`, 'Use the base model the adapter was trained on.');
  }
  const base = new Set((await readGgufHeader(loaded.path, { maxArrayItems: 0 })).tensors.map((t) => t.name));
  const missing = info.tensors.map((t) => t.name.replace(/\.lora_[ab]$/, '')).filter((n) => !base.has(n));
  if (missing.length) {
    throw new MedigenError(`The adapter ${adapterPath} changes weights the model does not have (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', ...' : ''}).`, 'The adapter was trained for a different model. Use its base model.');
  }
}

/**
 * Chat wrappers resolved per model. Resolving compares the model's Jinja chat template with the
 * known formats and costs ~0.4 s of CPU each time (measured on the tiny models), so every
 * generator on the same model reuses the first result; a wrapper holds no per-chat state.
 */
const chatWrappers = new WeakMap<LlamaModel, ChatWrapper>();

/** Generates notes with one loaded model (and optional adapter). Call `dispose()` when done. */
export class NoteGenerator {
  private readonly free: LlamaContextSequence[];
  private readonly waiting: ((s: LlamaContextSequence) => void)[] = [];
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();
  /** The chat wrapper node-llama-cpp picked from the model's chat template. */
  readonly chatWrapper: ChatWrapper;

  private constructor(
    readonly loaded: LoadedLlm,
    readonly context: LlamaContext,
    private readonly instruction: InstructionOptions,
    private readonly lib: typeof import('node-llama-cpp'),
    /** See NoteGeneratorOptions.maxPromptTokens. */
    readonly maxPromptTokens?: number,
  ) {
    this.free = Array.from({ length: context.totalSequences }, () => context.getSequence());
    let wrapper = chatWrappers.get(loaded.model);
    if (!wrapper) chatWrappers.set(loaded.model, (wrapper = lib.resolveChatWrapper(loaded.model)));
    this.chatWrapper = wrapper;
  }

  /** Creates a context (with the adapter, if any) on a loaded model. */
  static async create(loaded: LoadedLlm, options: NoteGeneratorOptions = {}): Promise<NoteGenerator> {
    const lora = typeof options.lora === 'string' ? { path: options.lora } : options.lora;
    if (lora) await checkAdapter(lora.path, loaded);
    const contextSize = options.contextSize ?? Math.min(loaded.summary.contextLength ?? 8192, 8192);
    let context: LlamaContext;
    try {
      context = await loaded.model.createContext({
        contextSize,
        sequences: options.sequences ?? 1,
        threads: options.threads ?? loaded.settings.threads,
        ...(lora ? { lora: { adapters: [{ filePath: lora.path, scale: lora.scale ?? 1 }] } } : {}),
      });
    } catch (e) {
      throw new MedigenError(`Could not create a ${contextSize}-token context${lora ? ` with the adapter ${lora.path}` : ''}: ${(e as Error).message}`, 'Use a smaller context (--context) or fewer parallel notes (--parallel); close other programs to free memory.', { cause: e });
    }
    const instruction = { ...(options.template ? { template: options.template } : {}), ...(options.systemPrompt ? { systemPrompt: options.systemPrompt } : {}) };
    if (options.maxPromptTokens !== undefined && (!Number.isInteger(options.maxPromptTokens) || options.maxPromptTokens < 16)) {
      throw new MedigenError(`maxPromptTokens is ${options.maxPromptTokens}, which is not a whole number of at least 16.`, 'Give the prompt budget the model was trained with (the run\'s data.maxSeqLength leaves room for the note), or leave it out.');
    }
    return new NoteGenerator(loaded, context, instruction, await nodeLlamaCpp(), options.maxPromptTokens);
  }

  /** Tokens of context each sequence has. */
  get contextSize(): number {
    return this.context.contextSize;
  }

  private acquire(): Promise<LlamaContextSequence> {
    const s = this.free.pop();
    if (s) return Promise.resolve(s);
    return new Promise((res) => this.waiting.push(res));
  }

  private release(s: LlamaContextSequence): void {
    const next = this.waiting.shift();
    if (next) next(s);
    else this.free.push(s);
  }

  private grammar(g: GenerateOptions['grammar'], maxTokens: number): Promise<LlamaGrammar> | undefined {
    if (g === undefined || g === 'free') return undefined;
    const text = noteGrammar(g === 'soap' ? soapGrammarWithin(maxTokens) : g);
    let p = this.grammars.get(text);
    if (!p) {
      p = this.loaded.llama.createGrammar({ grammar: text });
      this.grammars.set(text, p);
    }
    return p;
  }

  private history(system: string, user: string): ChatHistoryItem[] {
    return [
      { type: 'system', text: system },
      { type: 'user', text: user },
      { type: 'model', response: [] },
    ];
  }

  private renderMessages(system: string, user: string): Token[] {
    const { contextText } = this.chatWrapper.generateContextState({ chatHistory: this.history(system, user) });
    return contextText.tokenize(this.loaded.model.tokenizer);
  }

  /**
   * The prompt for a dialogue exactly as the model will see it, with its token count. With
   * maxPromptTokens, a longer user message is cut at its end (in tokens, the trainer's rule), so
   * the template's closing part stays.
   */
  renderPrompt(input: string | Encounter): RenderedPrompt {
    const { system, user } = noteMessages(input, this.instruction);
    let tokens = this.renderMessages(system, user);
    let sent = user;
    let cutTokens = 0;
    const max = this.maxPromptTokens;
    if (max !== undefined && tokens.length > max) {
      const userTokens = this.loaded.model.tokenize(user, false);
      const overhead = this.renderMessages(system, '').length;
      let keep = Math.max(0, Math.min(userTokens.length, max - overhead));
      // Detokenizing and tokenizing again can merge tokens differently: shrink until it fits.
      for (;;) {
        sent = this.loaded.model.detokenize(userTokens.slice(0, keep));
        tokens = this.renderMessages(system, sent);
        if (tokens.length <= max || keep === 0) break;
        keep = Math.max(0, keep - Math.max(1, tokens.length - max));
      }
      cutTokens = userTokens.length - keep;
    }
    return { text: this.loaded.model.detokenize(tokens, true), tokens, system, user: sent, cutTokens };
  }

  /** Generates one note for a dialogue (or encounter). Waits for a free sequence when all are busy. */
  async generate(input: string | Encounter, options: GenerateOptions = {}): Promise<GenerationResult> {
    const maxTokens = options.maxTokens ?? 1024;
    const grammar = await this.grammar(options.grammar, maxTokens);
    const prompt = this.renderPrompt(input);
    const sequence = await this.acquire();
    const session = new this.lib.LlamaChatSession({ contextSequence: sequence, chatWrapper: this.chatWrapper, systemPrompt: prompt.system, autoDisposeSequence: false });
    try {
      if (prompt.tokens.length + maxTokens > sequence.contextSize) {
        throw new MedigenError(
          `The prompt is ${prompt.tokens.length} tokens and up to ${maxTokens} more may be generated, but the context holds ${sequence.contextSize}.`,
          `Give a larger context (--context ${Math.ceil((prompt.tokens.length + maxTokens) / 1024) * 1024}, up to the model's ${this.loaded.summary.contextLength ?? '?'}), or fewer --max-tokens.`,
        );
      }
      let generated = 0;
      const start = performance.now();
      const r = await session.promptWithMeta(prompt.user, {
        maxTokens,
        temperature: options.temperature ?? 0,
        topP: options.topP ?? 0.95,
        topK: options.topK ?? 40,
        seed: options.seed ?? 0,
        ...(grammar ? { grammar } : {}),
        ...(options.onTextChunk ? { onTextChunk: options.onTextChunk } : {}),
        ...(options.signal ? { signal: options.signal, stopOnAbortSignal: true } : {}),
        onToken: (t) => (generated += t.length),
      });
      const ms = performance.now() - start;
      return { text: r.responseText, prompt, generatedTokens: generated, stopReason: r.stopReason, ms, tokensPerSecond: generated / Math.max(ms / 1000, 1e-9) };
    } finally {
      session.dispose({ disposeSequence: false });
      await sequence.clearHistory();
      this.release(sequence);
    }
  }

  /** Releases the context (the model stays loaded). */
  /** Which kind of note source this is (see models/generation's NoteSource). */
  get backend(): 'local' {
    return 'local';
  }

  /** The model file the notes come from. */
  get model(): string {
    return this.loaded.path;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  async dispose(): Promise<void> {
    for (const p of this.grammars.values()) await p.catch(() => undefined);
    if (!this.context.disposed) await this.context.dispose();
  }
}
