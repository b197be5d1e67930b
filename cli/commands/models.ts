import type { Command } from '../command';

export const modelCommands: Command[] = [];
