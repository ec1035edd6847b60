// The schema compilers: Ajv for validators, fast-json-stringify for serialisers. About a quarter of
// the server's code, so app.ts imports this module once the server listens, not before it.
export { Ajv } from 'ajv';
export { default as buildSerializer } from 'fast-json-stringify';
