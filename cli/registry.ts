import type { Command } from './command';
import { baselineCommands } from './commands/baseline';
import { curriculumCommands } from './commands/curriculum';
import { dataCommands } from './commands/data';
import { demoCommands } from './commands/demo';
import { evalCommands } from './commands/eval';
import { modelCommands } from './commands/models';
import { trainCommands } from './commands/train';

/**
 * Every `medigen` command. Each file in commands/ owns one group; the order here is the order of
 * `medigen --help`.
 */
export const commands: Command[] = [...demoCommands, ...dataCommands, ...evalCommands, ...baselineCommands, ...modelCommands, ...trainCommands, ...curriculumCommands];
