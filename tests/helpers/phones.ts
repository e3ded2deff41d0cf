// The simulated phones live in testkit/ (outside tests/) because the demo (npm run demo) drives them too.
import type { VenueDraft } from '../../shared/poster/venue-draft';
import { agreeWhenAsked, type Phone } from '../../testkit/phones';

export * from '../../testkit/phones';

/**
 * A venue code made on phone `p` with the owner's form, as pages/venues makes one: a café open at
 * any time with 60-minute visits unless `fields` say otherwise; the privacy prompt, if shown, agreed
 * to. Its id and the link its poster carries.
 */
export async function venueMadeOn(p: Phone, fields: Partial<VenueDraft> = {}): Promise<{ id: string; link: string }> {
  const stop = agreeWhenAsked(p);
  const made = await p.device.createVenue({
    name: 'Café',
    venueType: 0,
    minutes: 60,
    staff: false,
    event: false,
    fromMin: null,
    untilMin: null,
    ...fields,
  });
  stop();
  if (!made.ok) throw new Error(made.text ?? made.code);
  return { id: made.value.id, link: made.value.link };
}
