/**
 * A phone's card on the playground page: its name and language, the switches its handset has (one
 * checkbox each), WeChat's navigation bar, and the phone's screen — the H5 build in a frame the size
 * of a phone, on the build's first page (or `page`).
 */
import type { SimPhone } from '../../../testkit/handset';
import type { PhoneSpec } from './phone';

/** One switch of a phone: a checkbox labelled `label`, id `<id>-<phone>`. */
export interface Knob {
  id: string;
  label: string;
  get(): boolean;
  set(on: boolean): void;
}

export function phoneCard(
  phone: SimPhone,
  spec: PhoneSpec,
  config: { app: string },
  knobsOf: (p: SimPhone) => Knob[],
  page?: string,
): HTMLElement {
  const card = document.createElement('section');
  card.className = 'phone';
  card.dataset.phone = phone.name;
  card.setAttribute('aria-label', `${phone.name}'s phone`);
  const head = document.createElement('h2');
  head.textContent = `${phone.name} `;
  const lang = document.createElement('small');
  lang.textContent = `${spec.language} · ${phone.platform}`;
  head.append(lang);
  const knobs = document.createElement('div');
  knobs.className = 'knobs';
  for (const k of knobsOf(phone)) {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.id = `${k.id}-${phone.name}`;
    box.checked = k.get();
    box.addEventListener('change', () => {
      k.set(box.checked);
      box.checked = k.get();
      card.classList.toggle('hidden-app', !phone.foreground);
    });
    label.append(box, ` ${k.label}`);
    knobs.append(label);
  }
  // WeChat's navigation bar, which WeChat draws above every page: the title the page set
  // (wx.setNavigationBarTitle) and the back arrow, which pops WeChat's page stack
  const bar = document.createElement('div');
  bar.className = 'navbar';
  const back = document.createElement('button');
  back.type = 'button';
  back.id = `back-${phone.name}`;
  back.textContent = '‹';
  back.setAttribute('aria-label', `${phone.name}: back`);
  const title = document.createElement('span');
  title.id = `title-${phone.name}`;
  bar.append(back, title);
  const frame = document.createElement('iframe');
  frame.id = `frame-${phone.name}`;
  frame.title = `${phone.name}'s screen`;
  frame.src = `${config.app}index.html?phone=${encodeURIComponent(phone.name)}${page ? `#/${page}` : ''}`;
  back.addEventListener('click', () => {
    if (phone.pages.length <= 1) return;
    phone.pages.pop();
    frame.contentWindow?.history.back();
  });
  const refresh = () => {
    title.textContent = phone.titles[phone.titles.length - 1] ?? '';
    back.hidden = phone.pages.length <= 1;
  };
  refresh();
  setInterval(refresh, 250);
  card.append(head, knobs, bar, frame);
  return card;
}
