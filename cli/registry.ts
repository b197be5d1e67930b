import type { Command } from './command';

/**
 * Every `medigen` command. Each domain folder's CLI module adds its commands here; the order is
 * the order of `medigen --help`.
 */
export const commands: Command[] = [];
