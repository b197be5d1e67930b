/**
 * node-llama-cpp, loaded on first use. Importing it takes about a second of CPU, so modules here
 * import only its types statically and load the library when a model is actually used; commands
 * that never touch a model (and the esbuild bundle's start-up) stay fast.
 */
import { importPackage } from '../../core/index';

type NodeLlamaCpp = typeof import('node-llama-cpp');

let loading: Promise<NodeLlamaCpp> | undefined;

/** The node-llama-cpp module. */
export function nodeLlamaCpp(): Promise<NodeLlamaCpp> {
  loading ??= importPackage<NodeLlamaCpp>('node-llama-cpp');
  return loading;
}
