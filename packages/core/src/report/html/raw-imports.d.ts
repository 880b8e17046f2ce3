// `import text from './file.css?raw'`: the file's contents as a string. Vite/Vitest understand the
// suffix natively; the tsup build maps it to esbuild's text loader (see tsup.config.ts).
declare module '*?raw' {
  const text: string;
  export default text;
}
