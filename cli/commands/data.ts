import type { Command } from '../command';

export const dataCommands: Command[] = [];
