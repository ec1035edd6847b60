// Health and "who am I".
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../auth.js';
import { PersonSchema, errors, personOut } from '../schemas.js';

const systemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', { config: { public: true }, schema: { tags: ['system'], security: [], response: { 200: Type.Object({ ok: Type.Boolean() }) } } }, async () => {
    app.db.$client.prepare('SELECT 1').get();
    return { ok: true };
  });

  app.get('/me', { schema: { tags: ['people'], response: { 200: PersonSchema, ...errors } } }, async (request) => personOut(app.config, actorOf(request)));
};

export default systemRoutes;
