// Types of lanes.mjs for the TypeScript example lanes; the lane objects are plain config.
export { commands, pagesBuilt } from './commands.cjs';
export declare const lanes: Record<'docs' | 'standard' | 'heavy', Record<string, unknown>>;
