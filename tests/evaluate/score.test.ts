import { describe, expect, it } from 'vitest';
import { parseLabels } from '../../src/evaluate/labels.js';
import { score } from '../../src/evaluate/score.js';
import type { AlertRecord } from '../../src/sinks/records.js';

const A = '02:00:00:00:00:0a';
const B = '02:00:00:00:00:0b';

function alert(
  mac: string,
  behaviour: string,
  ts: number,
  episode = `${mac}-${behaviour}-${ts}`,
): AlertRecord {
  return {
    type: 'alert',
    mac,
    ts,
    behaviour,
    score: 0.9,
    summary: `${behaviour} by ${mac}`,
    evidence: {},
    episode,
    state: 'open',
    severity: 'high',
  };
}

describe('score', () => {
  const events = parseLabels(
    JSON.stringify({
      events: [
        { mac: A, behaviours: ['scan'], also: ['anomaly'], start: 1000, end: 2000 },
        { mac: A, behaviours: ['beaconing'], start: 5000, end: 9000 },
        { mac: B, behaviours: ['crypto_mining'], start: 3000, end: 3100 },
      ],
    }),
    'labels.json',
  );

  it('counts detections within start − 60 … end + 300, delays, and false alerts', () => {
    const r = score(
      events,
      [
        alert(A, 'scan', 950), // 50 s early: counts, delay 0
        alert(A, 'anomaly', 1500), // acceptable, not a detection, not false
        alert(A, 'beaconing', 9400), // 400 s after the end: too late, false
        alert(B, 'crypto_mining', 3060),
        alert(B, 'scan', 3050), // wrong behaviour for B's event: false
      ],
      20,
    );
    const by = Object.fromEntries(r.behaviours.map((b) => [b.behaviour, b]));
    expect(by.scan).toMatchObject({
      events: 1,
      detected: 1,
      missed: 0,
      medianDelayS: 0,
      falseAlerts: 1,
    });
    expect(by.beaconing).toMatchObject({ events: 1, detected: 0, missed: 1, falseAlerts: 1 });
    expect(by.crypto_mining).toMatchObject({ detected: 1, medianDelayS: 60, worstDelayS: 60 });
    expect(by.anomaly.falseAlerts).toBe(0);
    expect(r.overall).toMatchObject({ events: 3, detected: 2, missed: 1, falseAlerts: 2 });
    expect(r.falseAlertsPerDeviceHour).toBeCloseTo(0.1, 9);
  });

  it('counts an episode once however many records it has', () => {
    const r = score(
      events,
      [alert(B, 'scan', 10, 'e1'), { ...alert(B, 'scan', 400, 'e1'), state: 'closed' }],
      1,
    );
    expect(r.overall.falseAlerts).toBe(1);
  });

  it('refuses malformed labels with one line naming the file', () => {
    expect(() =>
      parseLabels('{"events":[{"mac":"x","behaviours":["scan"],"start":1,"end":2}]}', 'l.json'),
    ).toThrow(/--labels l.json: event 1: bad mac/);
    expect(() =>
      parseLabels(`{"events":[{"mac":"${A}","behaviours":["nope"],"start":1,"end":2}]}`, 'l.json'),
    ).toThrow(/unknown behaviour 'nope'/);
    expect(() =>
      parseLabels(`{"events":[{"mac":"${A}","behaviours":["scan"],"start":3,"end":2}]}`, 'l.json'),
    ).toThrow(/start ≤ end/);
    expect(() => parseLabels('[]', 'l.json')).toThrow(/expected \{"events"/);
  });
});
