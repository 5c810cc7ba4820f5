// Vite/Vitest resolve `?raw` imports to the file's text; only the tests use them.
declare module "*?raw" {
  const content: string;
  export default content;
}
