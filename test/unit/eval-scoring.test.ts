// How `npm run eval` reads what a finding says (scripts/eval/evaluate.ts): the step a plateau says
// the samples stopped improving at, and which of several generators a balance finding is about.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generatorOf, plateauStop } from '../../scripts/eval/evaluate';
import type { Finding } from '../../src/core/model';

const finding = (evidence: Finding['evidence'], message = 'Both losses flat.'): Finding =>
  ({ kind: 'equilibrium', severity: 'info', start: 1000, end: 5000, series: ['discriminator', 'generator'], message, evidence }) as Finding;

test('a plateau says where the samples stopped improving: its stopStep, else its end when they kept improving, else its start', () => {
  assert.equal(plateauStop(finding({ stopStep: 2500, progress: 'samples stopped' })), 2500);
  assert.equal(plateauStop(finding({ stopStep: null, progress: 'metric improving' })), 5000);
  assert.equal(plateauStop(finding({ samplesImproved: true })), 5000);
  assert.equal(plateauStop(finding({ d: 0.5, g: 1.2 })), 1000);
});

test('a balance finding is about the generator its evidence names, else its message, else the main one', () => {
  const two = [{ name: 'G_GAN' }, { name: 'G_2_GAN' }];
  assert.equal(generatorOf(finding({ generator: 'G_2_GAN' }, 'G_2_GAN and G_GAN'), two), 'G_2_GAN');
  assert.equal(generatorOf(finding({}, 'G_2_GAN: the discriminator won from step 2.'), two), 'G_2_GAN');
  // `G_GAN` is not read inside `G_2_GAN`, nor inside `netG_GAN`.
  assert.equal(generatorOf(finding({}, 'The discriminator beat G_GAN.'), two), 'G_GAN');
  assert.equal(generatorOf(finding({}, 'netG_GAN won'), two), null);
  assert.equal(generatorOf(finding({}, 'The discriminator won.'), two), null);
  assert.equal(generatorOf(finding({}, 'The discriminator won.'), [{ name: 'g_loss' }]), 'g_loss');
  // The engine keys a second GAN (`pair`): its findings carry the key, the main GAN's none.
  const keyed = [{ name: 'G_GAN' }, { name: 'G_2_GAN', pair: '2' }];
  assert.equal(generatorOf(finding({ pair: '2' }, 'GAN 2: the discriminator won.'), keyed), 'G_2_GAN');
  assert.equal(generatorOf(finding({}, 'The discriminator won.'), keyed), 'G_GAN');
  assert.equal(generatorOf(finding({ pair: 'B' }, 'GAN B: the discriminator won.'), keyed), null);
});
