/** The public API of recipes: one file that runs a study from data to report (`medigen run`). */
export { commentedRecipe, defaultRecipe, readRecipe, trainConfigOf, type Recipe } from './config';
export { STAGES, runRecipe, type RecipeRunOptions, type Stage } from './run';
