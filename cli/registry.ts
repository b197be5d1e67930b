import type { Command } from './command';
import { baselineCommands } from './commands/baseline';
import { curriculumCommands } from './commands/curriculum';
import { dataCommands } from './commands/data';
import { demoCommands } from './commands/demo';
import { evalCommands } from './commands/eval';
import { generateCommands } from './commands/generate';
import { modelCommands } from './commands/models';
import { serveCommands } from './commands/serve';
import { trainCommands } from './commands/train';
import { trainEvaluateCommands } from './commands/trainEvaluate';

/**
 * Every `medigen` command. Each file in commands/ owns one group; the order here is the order of
 * `medigen --help`.
 */
export const commands: Command[] = [...demoCommands, ...dataCommands, ...evalCommands, ...baselineCommands, ...generateCommands, ...serveCommands, ...modelCommands, ...trainCommands, ...trainEvaluateCommands, ...curriculumCommands];
