// Health, "who am I", and the personal page's first view.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { checkDatabase } from '../../services/data.js';
import { personalOverview } from '../../services/overview.js';
import { actorOf, scopeOfRequest } from '../auth.js';
import { Nullable, PersonSchema, ShiftSchema, SignupSchema, errors, personOut, shiftOut, signupOut } from '../schemas.js';
import { OfferSchema, offerOut } from './offers.js';
import { TradeSchema, tradeOut } from './trades.js';

const OverviewRota = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  timezone: Type.String(),
  waitlist: Type.Boolean(),
  cancelClosesHoursBefore: Type.Integer({ description: 'Inside this many hours before a duty, changes go through the contact' }),
  teamIds: Type.Array(Type.Integer()),
  contact: Nullable(Type.Object({ id: Type.Integer(), name: Type.String(), phone: Nullable(Type.String()) }, { description: 'The coordinator to call about this rota' })),
});

const OverviewSchema = Type.Object({
  me: PersonSchema,
  signups: Type.Array(SignupSchema, { description: 'Her sign-ups not ended yet (confirmed or waitlisted), soonest first' }),
  myOffers: Type.Array(OfferSchema, { description: 'Her own offers still waiting for cover' }),
  offers: Type.Array(OfferSchema, { description: 'Others\' offers she could take now' }),
  trades: Type.Array(TradeSchema, { description: 'Open swaps she proposed or was asked to accept' }),
  shifts: Type.Array(ShiftSchema, { description: 'The shifts the lists name, and the open ones' }),
  openShiftIds: Type.Array(Type.String(), { description: 'Shifts in the next 30 days she could sign up for now, soonest first' }),
  rotas: Type.Array(OverviewRota),
});

const systemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', { config: { public: true }, schema: { tags: ['system'], security: [], response: { 200: Type.Object({ ok: Type.Boolean() }) } } }, async () => {
    checkDatabase(app.db);
    return { ok: true };
  });

  app.get('/me', { schema: { tags: ['people'], response: { 200: PersonSchema, ...errors } } }, async (request) => personOut(app.config, actorOf(request)));

  app.get(
    '/me/overview',
    {
      schema: {
        tags: ['people'],
        description: 'Everything the personal page shows first, in one answer: the next duty and the coming ones, swaps and offers, open duties, and each rota\'s contact.',
        response: { 200: OverviewSchema, ...errors },
      },
    },
    async (request) => {
      const me = actorOf(request);
      const o = personalOverview(app.db, me, app.config.now(), scopeOfRequest(request).sees);
      return {
        me: personOut(app.config, me),
        signups: o.signups.map(signupOut),
        myOffers: o.myOffers.map(offerOut),
        offers: o.offers.map(offerOut),
        trades: o.trades.map(tradeOut),
        shifts: o.shifts.map(shiftOut),
        openShiftIds: o.openShiftIds,
        rotas: o.rotas.map(({ rota, teamIds, contact }) => ({
          id: rota.id,
          name: rota.name,
          timezone: rota.timezone,
          waitlist: rota.waitlist,
          cancelClosesHoursBefore: rota.cancelClosesHoursBefore,
          teamIds,
          contact,
        })),
      };
    },
  );
};

export default systemRoutes;
