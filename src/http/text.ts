// Every string that comes in as JSON or in a query string must be text: no control characters
// other than tab and line breaks, no half of a surrogate pair. Names narrow this further (one
// line, something visible) where their use case reads them.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { RotaError } from '../domain/errors.js';
import { textProblem } from '../domain/validate.js';

/** The first string in a parsed value that is not text, with its path (`days[2].label`). */
function firstProblem(value: unknown, path: string): { field: string; problem: string } | null {
  if (typeof value === 'string') {
    const problem = textProblem(value, true);
    return problem ? { field: path || 'body', problem } : null;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = firstProblem(item, `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = textProblem(key, false);
      if (keyProblem) return { field: path || 'body', problem: `has a property name that ${keyProblem}` };
      const found = firstProblem(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

export default fp(async function text(app: FastifyInstance) {
  // A callback, not an async function: this runs on every request, and a promise each time costs.
  app.addHook('preValidation', (request, _reply, done) => {
    const found = firstProblem(request.query, '') ?? (typeof request.body === 'string' ? null : firstProblem(request.body, ''));
    if (found) done(new RotaError('VALIDATION', `${found.field} ${found.problem}.`, { field: found.field }));
    else done();
  });
});
