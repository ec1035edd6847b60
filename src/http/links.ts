// Links handed to people: the personal page (token in the fragment, never sent to a server) and feeds.
import type { Config } from '../config.js';
import type { FeedKind } from '../domain/types.js';

export function accessUrl(config: Config, token: string): string {
  return `${config.publicUrl}/me#${token}`;
}

/** The feeds a person, team or rota has a link to (the open-shift feed hangs off the rota's). */
type LinkedFeed = Exclude<FeedKind, 'open'>;

export function feedLinks(config: Config, kind: LinkedFeed, token: string): { feedUrl: string; webcalUrl: string } {
  const feedUrl = `${config.publicUrl}/feeds/${kind}/${token}.ics`;
  return { feedUrl, webcalUrl: feedUrl.replace(/^https?:/, 'webcal:') };
}

/** The link a post's QR code opens: the code sits in the fragment, so it never reaches server logs. */
export function checkinUrl(config: Config, code: string): string {
  return `${config.publicUrl}/checkin#${code}`;
}
