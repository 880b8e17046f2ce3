// Types of commands.cjs, so the TypeScript example lanes are type-checked against it.
export declare const commands: { docs: string; standard: string; heavy: string };
export declare function pagesBuilt(stdout: string): number;
