import type { Command } from '../command';

export const evalCommands: Command[] = [];
