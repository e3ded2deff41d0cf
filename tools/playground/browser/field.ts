/**
 * The room the phones are in, seen from above: each phone a dot to drag, a line between two phones
 * whose radios reach each other (the world's range), with the distance in metres, and every pair's
 * distance in a table below. Positions are the simulated handsets' own (`SimPhone.position`, metres),
 * which the world's radio reads at each delivery (RSSI falls with distance, testkit/world.ts).
 */
import type { SimPhone } from '../../../testkit/handset';
import type { SimWorld } from '../../../testkit/world';

const SVG = 'http://www.w3.org/2000/svg';
/** The room, metres. */
export const ROOM = { w: 120, h: 40 };

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

export const metres = (d: number) => `${d < 10 ? d.toFixed(1) : d.toFixed(0)} m`;

/** The field inside `box`; returns a redraw (call it after moving phones by other means). */
export function mountField(box: HTMLElement, table: HTMLElement, world: SimWorld, phones: SimPhone[]): () => void {
  const view = svg('svg', { viewBox: `0 0 ${ROOM.w} ${ROOM.h}`, role: 'img', 'aria-label': 'The room: drag a phone to move it' });
  view.classList.add('field');
  box.append(view);
  const lines = svg('g', {});
  const dots = svg('g', {});
  view.append(lines, dots);

  const redraw = () => {
    lines.replaceChildren();
    table.replaceChildren();
    for (let i = 0; i < phones.length; i++)
      for (let j = i + 1; j < phones.length; j++) {
        const [a, b] = [phones[i], phones[j]];
        const d = world.distance(a, b);
        const inRange = d <= world.range;
        if (inRange) {
          lines.append(
            svg('line', { x1: a.position.x, y1: a.position.y, x2: b.position.x, y2: b.position.y, class: 'link' }),
            Object.assign(
              svg('text', { x: (a.position.x + b.position.x) / 2, y: (a.position.y + b.position.y) / 2 - 0.8, class: 'dist' }),
              {
                textContent: metres(d),
              },
            ),
          );
        }
        const row = document.createElement('li');
        row.id = `dist-${a.name}-${b.name}`;
        row.textContent = `${a.name} ↔ ${b.name}: ${metres(d)}${inRange ? '' : ' (out of radio range)'}`;
        table.append(row);
      }
    for (const p of phones) {
      const g = dots.querySelector<SVGGElement>(`[data-phone="${p.name}"]`);
      g?.setAttribute('transform', `translate(${p.position.x} ${p.position.y})`);
    }
  };

  for (const p of phones) {
    const g = svg('g', { 'data-phone': p.name, class: 'dot', tabindex: 0, role: 'button', 'aria-label': `${p.name}: drag to move` });
    g.append(svg('circle', { r: 2.2 }), Object.assign(svg('text', { y: 0.7, class: 'dot-label' }), { textContent: p.name.slice(0, 1) }));
    dots.append(g);
    g.addEventListener('pointerdown', (e) => {
      g.setPointerCapture(e.pointerId);
      const move = (ev: PointerEvent) => {
        const m = view.getScreenCTM()!.inverse();
        const pt = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(m);
        // half a metre is as fine as anyone places a phone
        p.position = {
          x: Math.round(Math.min(ROOM.w, Math.max(0, pt.x)) * 2) / 2,
          y: Math.round(Math.min(ROOM.h, Math.max(0, pt.y)) * 2) / 2,
        };
        redraw();
      };
      const up = () => {
        g.removeEventListener('pointermove', move);
        g.removeEventListener('pointerup', up);
      };
      g.addEventListener('pointermove', move);
      g.addEventListener('pointerup', up);
    });
  }
  redraw();
  return redraw;
}
