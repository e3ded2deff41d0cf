/**
 * deploy/nginx.ts fills deploy/nginx.conf.template: fields replaced, a list field's line written once
 * per item (none: left out), and nothing written when a field is missing or a value could break out
 * of its directive. Expectations written by hand; that nginx accepts the real file is
 * tests/server/cluster.test.ts's (nginx -t, then traffic through it).
 */
import { fillTemplate, nginxConfig } from '../../deploy/nginx';

test('fields are replaced; a list repeats its line, an empty list drops it', () => {
  const template = ['user {{user}};', 'pid {{prefix}}/nginx.pid;', 'upstream u {', '  server {{upstream}} max_fails=1;', '}'].join('\n');
  expect(fillTemplate(template, { user: [], prefix: '/srv/p', upstream: ['127.0.0.1:1', '127.0.0.1:2'] })).toBe(
    ['pid /srv/p/nginx.pid;', 'upstream u {', '  server 127.0.0.1:1 max_fails=1;', '  server 127.0.0.1:2 max_fails=1;', '}'].join('\n'),
  );
  expect(fillTemplate('user {{user}};', { user: ['nobody nogroup'] })).toBe('user nobody nogroup;');
});

test('a missing field, two lists on a line, or a value nginx would read as more than a value: an error', () => {
  expect(() => fillTemplate('listen {{listen}};', {})).toThrow('{{listen}}');
  expect(() => fillTemplate('{{a}} {{b}}', { a: ['1'], b: ['2'] })).toThrow('one list per line');
  for (const bad of ['/p; include /etc/passwd', '/p { }', '/p\nuser root', '/p # x', '$host', "'x'", ' '])
    expect(() => fillTemplate('pid {{prefix}}/nginx.pid;', { prefix: bad })).toThrow('not a value nginx can take');
});

test("the cluster's configuration: every field of the template filled, one server line per instance", () => {
  const conf = nginxConfig({ listen: 8088, upstreams: [41001, 41002, 41003], prefix: '/srv/prtc-nginx' });
  // no field left unfilled (the JSON of the 413 page ends in two closing braces, which is content)
  expect(conf).not.toMatch(/\{\{\w*\}\}|\{\{\w/);
  expect(conf.match(/^\s*server 127\.0\.0\.1:\d+ .*;$/gm)).toEqual([
    '    server 127.0.0.1:41001 max_fails=1 fail_timeout=5s;',
    '    server 127.0.0.1:41002 max_fails=1 fail_timeout=5s;',
    '    server 127.0.0.1:41003 max_fails=1 fail_timeout=5s;',
  ]);
  expect(conf).toMatch(/^\s*listen 127\.0\.0\.1:8088;$/m);
  expect(conf).toMatch(/^pid \/srv\/prtc-nginx\/nginx\.pid;$/m);
  expect(conf).not.toMatch(/^user /m); // only as root
  expect(nginxConfig({ listen: 1, upstreams: [2], prefix: '/p', runAs: 'nobody nogroup' })).toMatch(/^user nobody nogroup;$/m);
  // what the README promises of it: no access log, no client address forwarded
  expect(conf).toMatch(/^\s*access_log off;$/m);
  expect(conf.match(/^\s*proxy_set_header .*$/gm)?.map((l) => l.trim())).toEqual([
    'proxy_set_header Connection "";',
    'proxy_set_header Host $host;',
  ]);
});
