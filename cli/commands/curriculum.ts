import type { Command } from '../command';

export const curriculumCommands: Command[] = [];
