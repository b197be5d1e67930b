import type { Command } from '../command';

export const baselineCommands: Command[] = [];
