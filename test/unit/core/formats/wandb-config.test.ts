import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWandbConfig } from '../../../../src/core/formats/wandbConfig';

test('config.yaml as the Python SDK dumps it (PyYAML): desc/value pairs, lists at the key indent, .inf, wrapped strings; _wandb left out', () => {
  const text = [
    'wandb_version: 1',
    '',
    '_wandb:',
    '  desc: null',
    '  value:',
    '    cli_version: 0.16.0',
    '    t:',
    '      1:',
    '      - 1',
    '      - 55',
    'gan_mode:',
    '  desc: null',
    '  value: vanilla',
    'CD_lr:',
    '  desc: null',
    '  value: 1.0e-05',
    'max_dataset_size:',
    '  desc: null',
    '  value: .inf',
    'gpu_ids:',
    '  desc: null',
    '  value: []',
    'suffix:',
    '  desc: null',
    "  value: ''",
    'betas:',
    '  desc: null',
    '  value:',
    '  - 0.5',
    '  - 0.999',
    'display_server:',
    '  desc: null',
    '  value: http://localhost',
    'note:',
    '  desc: Notes',
    '  value: a long sentence that PyYAML wrapped at eighty columns so that it goes',
    '    on in a second line',
    'no_flip:',
    '  desc: null',
    '  value: false',
  ].join('\n');
  assert.deepEqual(parseWandbConfig(text), {
    gan_mode: 'vanilla',
    CD_lr: 0.00001,
    max_dataset_size: Infinity,
    gpu_ids: [],
    suffix: '',
    betas: [0.5, 0.999],
    display_server: 'http://localhost',
    note: 'a long sentence that PyYAML wrapped at eighty columns so that it goes on in a second line',
    no_flip: false,
  });
});

test('config.yaml as wandb-core writes it (yaml.v3): value only, 4-space indents, indented lists, quoted keys and strings, |- blocks', () => {
  const text = [
    '_wandb:',
    '    value:',
    '        cli_version: 0.19.1',
    '        t:',
    '            "1":',
    '                - 1',
    '                - 55',
    'model:',
    '    value:',
    '        loss: hinge',
    '        layers:',
    '            - 64',
    '            - 128',
    '        name: "G: resnet"',
    'script:',
    '    value: |-',
    '        python train.py',
    '          --lr 2e-4',
    'seed:',
    '    value: 42',
  ].join('\n');
  assert.deepEqual(parseWandbConfig(text), {
    model: { loss: 'hinge', layers: [64, 128], name: 'G: resnet' },
    script: 'python train.py\n  --lr 2e-4',
    seed: 42,
  });
});

test('text that is not a W&B config gives no settings', () => {
  assert.deepEqual(parseWandbConfig(''), {});
  assert.deepEqual(parseWandbConfig('- a\n- b\n'), {});
  assert.deepEqual(parseWandbConfig('just words'), {});
});
