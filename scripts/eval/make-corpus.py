#!/usr/bin/python3
"""Makes the labelled evaluation corpus (test/corpus/runs/*): real training runs of tiny MLP GANs on
scikit-learn's bundled digits (8x8, no network), with the healthy recipe and broken variants.

Each run folder holds what a user would have on disk (loss files in one of the formats the product
reads, sample grids in one of several layouts) plus `truth.json`, written from OUTSIDE the
detectors: the recipe (what was broken, from which step) and an independent digits classifier
(an SVC trained on the real digits) that labels 200 fresh samples of the generator at every saved
sample step: the classes present and the share of the top class.

Run with Debian's torch (python3-torch 1.13, python3-sklearn, python3-pil):
    nice -n 15 /usr/bin/python3 scripts/eval/make-corpus.py [--out test/corpus/runs] [--only name,...]
One thread, small MLPs: about 15 minutes for the whole corpus on a busy 2-core machine (most runs
under a minute; seeds fixed, so a rerun trains the same networks). `--relabel` recomputes the
expectations in the existing truth.json files without training. CI never runs this; it reads the
committed corpus (`npm run eval`, test/unit/eval-corpus.test.ts).

What a right diagnosis of each run holds (`expected`, `allowed`) is decided by `expectations()` from
the recipe and the classifier's labels only; see its docstring.
"""
import argparse
import json
import math
import os
import shutil
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from sklearn.datasets import load_digits
from sklearn.svm import SVC

torch.set_num_threads(1)

# ---------------------------------------------------------------------------------------------
# Data and the independent judge.

DIGITS = load_digits()
REAL = torch.tensor(DIGITS.data / 16.0 * 2 - 1, dtype=torch.float32)  # (1797, 64) in [-1, 1]
CLASSIFIER = SVC(gamma=0.001, C=10, probability=True, random_state=0).fit(DIGITS.data / 16.0, DIGITS.target)

# A sample step is "collapsed" when the classifier needs at most this many classes to cover 90% of
# the generator's samples (healthy runs need 8-10), and "fully collapsed" at one class.
COLLAPSE_CLASSES = 3
# Share of the run at the start that is the generator's warm-up (see expectations()).
WARMUP = 0.15
JUDGE_SAMPLES = 200


def judge(x: np.ndarray) -> dict:
    """Classifier's view of a batch of generated 8x8 samples in [-1, 1]."""
    x = np.nan_to_num(x, nan=-1.0, posinf=1.0, neginf=-1.0).clip(-1, 1)
    p = CLASSIFIER.predict_proba((x + 1) / 2)
    pred = p.argmax(1)
    counts = np.bincount(pred, minlength=10)
    order = np.argsort(-counts)
    share = counts[order] / len(pred)
    cover90 = int(np.searchsorted(np.cumsum(share), 0.9 - 1e-9) + 1)
    # Pixel spread of the samples against the real digits' (1.0 = as varied as the data set).
    sub = x[:100]
    d = np.sqrt(((sub[:, None, :] - sub[None, :, :]) ** 2).mean(-1))
    r = REAL.numpy()[:: len(REAL) // 100][:100]
    dr = np.sqrt(((r[:, None, :] - r[None, :, :]) ** 2).mean(-1))
    return {
        'classes': [int(c) for c in order if counts[c] >= 0.05 * len(pred)],
        'topClass': int(order[0]),
        'topShare': round(float(share[0]), 3),
        'classesFor90': cover90,
        'confidence': round(float(p.max(1).mean()), 3),
        'pixelSpread': round(float(d.mean() / dr.mean()), 3),
    }


# ---------------------------------------------------------------------------------------------
# Networks.

def mlp(sizes, out_act=None):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.LeakyReLU(0.2))
    if out_act:
        layers.append(out_act)
    return nn.Sequential(*layers)


Z = 16


# ---------------------------------------------------------------------------------------------
# Recipes. Each returns the per-step D and G losses and the sample batches at sample steps.

def train(spec: dict, sample_steps: list) -> tuple:
    torch.manual_seed(spec.get('seed', 0))
    np.random.seed(spec.get('seed', 0))
    loss = spec['loss']
    steps = spec['steps']
    G = mlp([Z, 128, 128, 64], nn.Tanh())
    D = mlp([64, spec.get('d_hidden', 128), spec.get('d_hidden', 128), 1], nn.Sigmoid() if spec.get('sigmoid_d') else None)
    betas = (0.5, 0.9) if loss == 'wgan-gp' else (0.5, 0.999)
    if loss == 'wgan-free':
        opt_d = torch.optim.RMSprop(D.parameters(), lr=spec['lr_d'])
        opt_g = torch.optim.RMSprop(G.parameters(), lr=spec['lr_g'])
    else:
        opt_d = torch.optim.Adam(D.parameters(), lr=spec['lr_d'], betas=betas)
        opt_g = torch.optim.Adam(G.parameters(), lr=spec['lr_g'], betas=betas)
    fixed_z = torch.randn(spec['tiles'], Z, generator=torch.Generator().manual_seed(1))
    judge_z = torch.randn(JUDGE_SAMPLES, Z, generator=torch.Generator().manual_seed(2))
    prototypes = torch.randn(3, Z, generator=torch.Generator().manual_seed(3))
    bs = 64
    d_hist = np.zeros(steps, np.float32)
    g_hist = np.zeros(steps, np.float32)
    grids = {}
    judged = {}

    def latent(z):
        """The recipe's latent bugs: scaled to 0 (collapse) or snapped to 3 prototypes (partial)."""
        scale = spec.get('latent_scale', lambda s: 1.0)(step)
        if spec.get('prototypes_from') is not None and step >= spec['prototypes_from']:
            idx = torch.arange(len(z)) % 3
            return prototypes[idx]
        return z * scale

    def bce_terms(logit, target):
        if spec.get('sigmoid_d'):
            # nn.BCELoss on a sigmoid output: PyTorch clamps log() at -100, so a saturated D gives exactly 100.
            return F.binary_cross_entropy(logit, torch.full_like(logit, target))
        if spec.get('raw_log'):
            # Hand-written -log(sigmoid): float32 underflow gives inf, then NaN gradients.
            p = torch.sigmoid(logit)
            return -(torch.log(p) if target == 1 else torch.log(1 - p)).mean()
        return F.binary_cross_entropy_with_logits(logit, torch.full_like(logit, target))

    for step in range(steps):
        for group in opt_d.param_groups:
            group['lr'] = spec['lr_d'] * spec.get('lr_d_factor', lambda s: 1.0)(step)
        if step in sample_steps:
            with torch.no_grad():
                grids[step] = G(latent(fixed_z)).numpy().copy()
                judged[step] = judge(G(latent(judge_z)).numpy())
        real = REAL[torch.randint(0, len(REAL), (bs,))]
        n_critic = spec.get('n_critic', 1)
        for _ in range(n_critic):
            z = latent(torch.randn(bs, Z))
            fake = G(z).detach()
            dr, df = D(real), D(fake)
            if loss == 'bce':
                ld = bce_terms(dr, 1) + bce_terms(df, 0)
                if spec.get('d_mean'):
                    ld = ld / 2
            elif loss == 'lsgan':
                ld = 0.5 * ((dr - 1) ** 2).mean() + 0.5 * (df ** 2).mean()
            elif loss == 'hinge':
                ld = F.relu(1 - dr).mean() + F.relu(1 + df).mean()
            else:  # wgan-gp, wgan-free
                ld = df.mean() - dr.mean()
                if loss == 'wgan-gp':
                    a = torch.rand(bs, 1)
                    mix = (a * real + (1 - a) * fake).requires_grad_(True)
                    grad = torch.autograd.grad(D(mix).sum(), mix, create_graph=True)[0]
                    ld = ld + 10 * ((grad.norm(dim=1) - 1) ** 2).mean()
            opt_d.zero_grad()
            ld.backward()
            opt_d.step()
            real = REAL[torch.randint(0, len(REAL), (bs,))]
        z = latent(torch.randn(bs, Z))
        df = D(G(z))
        if loss == 'bce':
            lg = bce_terms(df, 1)
        elif loss == 'lsgan':
            lg = 0.5 * ((df - 1) ** 2).mean()
        else:
            lg = -df.mean()
        opt_g.zero_grad()
        lg.backward()
        opt_g.step()
        d_hist[step] = ld.item()
        g_hist[step] = lg.item()
    return d_hist, g_hist, grids, judged


# ---------------------------------------------------------------------------------------------
# Writing what a user would have on disk.

def tile_image(x: np.ndarray, px: int) -> np.ndarray:
    """One 8x8 sample in [-1, 1] as a px x px uint8 tile (bilinear upscale, black background)."""
    x = np.nan_to_num(x, nan=-1.0).clip(-1, 1).reshape(8, 8)
    im = Image.fromarray(((x + 1) * 127.5).astype(np.uint8), 'L')
    # 32 grey levels: half the PNG size, invisible in the scores (tiles are box-downscaled to 16 px).
    return (np.asarray(im.resize((px, px), Image.BILINEAR)) // 8) * 8


def grid_image(batch: np.ndarray, layout: dict) -> Image.Image:
    rows, cols, px, pad = layout['rows'], layout['cols'], layout['px'], layout.get('pad', 0)
    pad_value = layout.get('pad_value', 0)
    h = rows * px + (rows + 1) * pad
    w = cols * px + (cols + 1) * pad
    out = np.full((h, w), pad_value, np.uint8)
    for i in range(rows * cols):
        r, c = divmod(i, cols)
        y = pad + r * (px + pad)
        x = pad + c * (px + pad)
        out[y : y + px, x : x + px] = tile_image(batch[i], px)
    if layout.get('rgb'):
        # A tint, so the three channels differ (as a colour colormap would make them).
        rgb = np.stack([out, (out * 0.85).astype(np.uint8), (out * 0.6 + 40 * (out > 0)).astype(np.uint8)], -1)
        return Image.fromarray(rgb, 'RGB')
    return Image.fromarray(out, 'L')


# Text logs keep every LOG_EVERY-th step (as loggers do; the .npy runs keep every step).
LOG_EVERY = 4


def write_losses(root: str, fmt: str, d: np.ndarray, g: np.ndarray):
    steps = np.arange(len(d))
    if fmt in ('csv', 'jsonl'):
        steps, d, g = steps[::LOG_EVERY], d[::LOG_EVERY], g[::LOG_EVERY]
    if fmt == 'npy-pair':
        os.makedirs(os.path.join(root, 'result'), exist_ok=True)
        np.save(os.path.join(root, 'result', 'discriminator_loss.npy'), d.astype(np.float32))
        np.save(os.path.join(root, 'result', 'generator_loss.npy'), g.astype(np.float32))
    elif fmt == 'npy-2col':
        np.save(os.path.join(root, 'losses.npy'), np.stack([d, g], 1).astype(np.float32))
    elif fmt == 'csv':
        with open(os.path.join(root, 'losses.csv'), 'w') as f:
            f.write('step,d_loss,g_loss\n')
            for s, a, b in zip(steps, d, g):
                f.write(f'{s},{a:.5g},{b:.5g}\n')
    elif fmt == 'jsonl':
        with open(os.path.join(root, 'metrics.jsonl'), 'w') as f:
            for s, a, b in zip(steps, d, g):
                f.write(json.dumps({'step': int(s), 'loss_D': fmt_json(float(f'{a:.5g}')), 'loss_G': fmt_json(float(f'{b:.5g}'))}) + '\n')
    elif fmt == 'chainer':
        # Chainer's LogReport: means over every 20 iterations.
        entries = []
        for s in range(20, len(d) + 1, 20):
            entries.append({'epoch': s * 64 // 1797, 'iteration': s, 'loss_dis': fmt_json(d[s - 20 : s].mean()), 'loss_gen': fmt_json(g[s - 20 : s].mean())})
        with open(os.path.join(root, 'log'), 'w') as f:
            json.dump(entries, f, indent=4)
    else:
        raise ValueError(fmt)


def read_losses(root: str, fmt: str) -> tuple:
    """The D and G losses back from what write_losses wrote."""
    if fmt == 'npy-pair':
        return np.load(os.path.join(root, 'result', 'discriminator_loss.npy')), np.load(os.path.join(root, 'result', 'generator_loss.npy'))
    if fmt == 'npy-2col':
        a = np.load(os.path.join(root, 'losses.npy'))
        return a[:, 0], a[:, 1]
    if fmt == 'csv':
        a = np.genfromtxt(os.path.join(root, 'losses.csv'), delimiter=',', skip_header=1)
        return a[:, 1], a[:, 2]
    if fmt == 'jsonl':
        rows = [json.loads(line) for line in open(os.path.join(root, 'metrics.jsonl'))]
        return np.array([float(r['loss_D']) for r in rows]), np.array([float(r['loss_G']) for r in rows])
    entries = json.load(open(os.path.join(root, 'log')))
    return np.array([float(e['loss_dis']) for e in entries]), np.array([float(e['loss_gen']) for e in entries])


def fmt_json(v):
    v = float(v)
    return v if math.isfinite(v) else str(v)  # never seen in the corpus's jsonl/chainer runs


# ---------------------------------------------------------------------------------------------
# The runs. `expect` is the recipe's claim; truth.json adds the measured onsets. `allow` lists kinds
# that are true of the losses as a consequence of the recipe and so are not false alarms there: a
# generator collapsed to one image is easy to reject, so D wins (d-dominant) in the collapse runs;
# a NaN run's loss blows up on its way to NaN (exploding); a clamped BCE is D winning outright; the
# unbounded WGAN critic swings with a period of ~110 steps (numpy autocorrelation of its detrended
# loss: -0.54 at lag 55, +0.40 at lag 110), so an oscillation there is true.

def const(v):
    return lambda s: v


RUNS = [
    dict(name='healthy-bce-tutorial', loss='bce', lr_d=2e-4, lr_g=2e-4, steps=8000, seed=1,
         losses='npy-pair', layout=dict(rows=5, cols=5, px=28, pad=0), pattern='result/image/{step}.png',
         expect=[], story="The tutorial's recipe: BCE, Adam 2e-4 (beta1 0.5) for both, D loss summed over real and fake."),
    dict(name='healthy-bce-padded-rgb', loss='bce', d_mean=True, lr_d=2e-4, lr_g=2e-4, steps=6000, seed=2,
         losses='npy-2col', layout=dict(rows=4, cols=4, px=32, pad=2, rgb=True), pattern='samples/epoch_{step:05d}.png',
         expect=[], story='The healthy recipe, D loss averaged over real and fake; torchvision-style padded RGB grid.'),
    dict(name='healthy-wgan-gp', loss='wgan-gp', n_critic=5, lr_d=1e-4, lr_g=1e-4, steps=3000, seed=3,
         losses='csv', layout=dict(rows=8, cols=8, px=16, pad=2), pattern='images/iter_{step}.png',
         expect=[], story='WGAN-GP (lambda 10, 5 critic steps, Adam 1e-4, betas 0.5/0.9).'),
    dict(name='healthy-lsgan', loss='lsgan', lr_d=2e-4, lr_g=2e-4, steps=6000, seed=4,
         losses='npy-pair', layout=dict(rows=6, cols=6, px=24, pad=0, rgb=True), pattern='fake_{step}.png',
         expect=[], story='LSGAN (least squares, targets 0/1), Adam 2e-4; touching RGB grid; loss type not declared.'),
    dict(name='healthy-hinge', loss='hinge', lr_d=2e-4, lr_g=2e-4, steps=6000, seed=5,
         losses='jsonl', layout=dict(rows=8, cols=8, px=16, pad=0), pattern='progress/step_{step}.png',
         expect=[], story='Hinge loss, Adam 2e-4; touching 8x8 grid of 16 px.'),
    dict(name='collapse-from-start', loss='bce', lr_d=2e-4, lr_g=2e-4, steps=6000, seed=6, latent_scale=const(0.0),
         losses='chainer', layout=dict(rows=10, cols=10, px=16, pad=0, rgb=True), pattern='preview/image{step:08d}.png',
         expect=['mode-collapse'], allow=['d-dominant'], story='A latent bug (z multiplied by 0): every tile is the same image from the first steps; Chainer-style touching 10x10 preview.'),
    dict(name='collapse-mid-recovery', loss='bce', lr_d=2e-4, lr_g=2e-4, steps=7000, seed=7,
         latent_scale=lambda s: 0.0 if 2500 <= s < 4500 else 1.0,
         losses='npy-pair', layout=dict(rows=5, cols=5, px=28, pad=2, pad_value=255), pattern='images/{step}.png',
         expect=['mode-collapse'], allow=['d-dominant'], story='Healthy recipe; the latent is zeroed from step 2,500 to 4,500 (collapse), then restored (recovery).'),
    dict(name='partial-collapse', loss='bce', lr_d=2e-4, lr_g=2e-4, steps=6000, seed=8, prototypes_from=2500,
         losses='csv', layout=dict(rows=4, cols=8, px=24, pad=2, rgb=True), pattern='fake_samples_step_{step}.png',
         expect=['mode-collapse'], allow=['d-dominant'], story='Healthy recipe; from step 2,500 the latent is snapped to 3 prototypes: three modes only.'),
    dict(name='d-dominant', loss='bce', lr_d=2e-3, lr_g=2e-5, d_hidden=256, steps=6000, seed=9,
         losses='csv', layout=dict(rows=4, cols=7, px=32, pad=0), pattern='fakes{step:06d}.png',
         expect=['d-dominant'], story='D learns 100x faster than G (2e-3 vs 2e-5) and is twice as wide: D wins, G loss climbs.'),
    dict(name='d-too-weak', loss='bce', d_mean=True, lr_d=1e-5, lr_g=1e-3, d_hidden=8, steps=6000, seed=10,
         losses='npy-pair', layout=dict(rows=5, cols=5, px=28, pad=2), pattern='images/{step}.png',
         expect=['g-dominant'], story='A tiny D (8 hidden units) with lr 1e-5 against G at 1e-3: D is fooled.'),
    dict(name='nan-divergence', loss='bce', raw_log=True, lr_d=2e-4, lr_g=2e-4, steps=6000, seed=11,
         lr_d_factor=lambda s: 1.0 if s < 3000 else 500.0,
         losses='npy-pair', layout=dict(rows=4, cols=4, px=16, pad=2), pattern='result/image/{step}.png',
         expect=['non-finite'], allow=['exploding'], story='Hand-written -log(sigmoid) loss; D lr raised 500x at step 3,000: the loss overflows to inf, then NaN.'),
    dict(name='clamped-saturation', loss='bce', sigmoid_d=True, lr_d=2e-4, lr_g=2e-4, steps=6000, seed=12,
         lr_d_factor=lambda s: 1.0 if s < 2500 else 100.0,
         losses='npy-2col', layout=dict(rows=5, cols=5, px=28, pad=0), pattern='samples/{step}.png',
         expect=['saturated'], allow=['d-dominant', 'non-finite'], story="nn.BCELoss on a sigmoid D; D lr raised 100x at step 2,500: D saturates and PyTorch's log clamp pins the loss at 100."),
    dict(name='oscillation', loss='bce', lr_d=2e-4, lr_g=2e-4, steps=8000, seed=13,
         lr_d_factor=lambda s: 10 ** (1.2 * math.sin(2 * math.pi * s / 800)),
         losses='csv', layout=dict(rows=6, cols=6, px=16, pad=2), pattern='samples/sample_{step}.png',
         expect=['oscillation'], story='D lr on a cycle (x16 to /16 every 800 steps): the networks overpower each other in turn.'),
    dict(name='wgan-exploding', loss='wgan-free', lr_d=5e-4, lr_g=5e-4, steps=5000, seed=14,
         losses='csv', layout=dict(rows=4, cols=4, px=24, pad=2), pattern='images/{step}.png',
         expect=['exploding'], allow=['oscillation'], story='A WGAN without gradient penalty or clipping (RMSprop 5e-4): the critic is unbounded and its outputs blow up.'),
    dict(name='healthy-bce-long-10x10', loss='bce', lr_d=2e-4, lr_g=2e-4, steps=12000, seed=15,
         losses='jsonl', layout=dict(rows=10, cols=10, px=12, pad=1), pattern='samples/grid-{step}.png',
         expect=[], story='The healthy recipe trained twice as long; padded 10x10 grid of 12 px, D loss summed.'),
    dict(name='healthy-bce-30k', loss='bce', lr_d=2e-4, lr_g=2e-4, steps=30000, seed=16,
         losses='npy-pair', layout=dict(rows=5, cols=5, px=28, pad=0), pattern='result/image/{step}.png',
         expect=[], story="The tutorial's recipe trained to 30,000 steps as the tutorial does; touching 5x5 grid of 28 px."),
]

SAMPLE_POINTS = 25


def sample_steps_of(steps: int) -> list:
    every = steps // (SAMPLE_POINTS - 1)
    every = max(50, int(round(every / 50.0)) * 50)
    return [s for s in range(0, steps, every)] + [steps - 1]


def run_one(spec: dict, out: str):
    root = os.path.join(out, spec['name'])
    if os.path.isdir(root):
        shutil.rmtree(root)
    os.makedirs(root)
    lay = spec['layout']
    spec['tiles'] = lay['rows'] * lay['cols']
    steps_list = sample_steps_of(spec['steps'])
    d, g, grids, judged = train(spec, set(steps_list))
    write_losses(root, spec['losses'], d, g)
    for s in steps_list:
        rel = spec['pattern'].format(step=s)
        os.makedirs(os.path.dirname(os.path.join(root, rel)) or root, exist_ok=True)
        grid_image(grids[s], lay).save(os.path.join(root, rel), optimize=True)
    truth = {
        'name': spec['name'],
        'story': spec['story'],
        'recipe': {k: v for k, v in spec.items() if isinstance(v, (int, float, str, bool)) and k not in ('name', 'story')},
        'layout': {k: lay.get(k, 0) for k in ('rows', 'cols', 'px', 'pad')} | {'rgb': bool(lay.get('rgb'))},
        'steps': spec['steps'],
        'recipeExpects': spec['expect'],
        'sampleSteps': [{'step': s, **judged[s]} for s in steps_list],
        'losses': {
            'firstNonFinite': first_non_finite(d, g),
            'longestConstant': longest_constant(d, g),
            'dLast10pct': robust(d[-spec['steps'] // 10 :]),
            'gLast10pct': robust(g[-spec['steps'] // 10 :]),
        },
    }
    truth['expected'], truth['allowed'] = expectations(truth, spec.get('allow', []))
    with open(os.path.join(root, 'truth.json'), 'w') as f:
        json.dump(truth, f, indent=1)
    summary = ' '.join(f"{j['step']}:{j['classesFor90']}/{j['topShare']:.2f}" for j in truth['sampleSteps'][::3])
    print(f"{spec['name']}: D {truth['losses']['dLast10pct']} G {truth['losses']['gLast10pct']} nonfinite@{truth['losses']['firstNonFinite']}  classes90/top: {summary}", flush=True)


def longest_constant(d, g):
    """The longest streak of exactly equal consecutive values in either loss (a clamped or dead loss)."""
    best = {'series': None, 'value': None, 'start': None, 'length': 0}
    for name, v in (('discriminator', d), ('generator', g)):
        i = 0
        while i < len(v):
            j = i
            while j + 1 < len(v) and v[j + 1] == v[i] and math.isfinite(v[i]):
                j += 1
            if j - i + 1 > best['length']:
                best = {'series': name, 'value': float(v[i]), 'start': i, 'length': j - i + 1}
            i = j + 1
    return best


# Finding kinds the eval scores, with the least severity a right diagnosis must carry.
SEVERITY = {'non-finite': 'error', 'saturated': 'error', 'exploding': 'warning', 'd-dominant': 'warning',
            'g-dominant': 'warning', 'oscillation': 'info', 'mode-collapse': 'warning'}


def expectations(truth: dict, allow: list) -> tuple:
    """Expected findings (kind, onset, end, least severity) from the recipe and the classifier, never from a detector.

    - non-finite: the first NaN/inf in the loss files.
    - saturated: the recipe clamps the loss; onset = start of the longest exactly-constant streak.
    - mode-collapse: sample steps after step 0 (an untrained generator is not a collapse) at which
      the classifier needs at most COLLAPSE_CLASSES classes for 90% of the samples, two sample steps
      in a row at least; steps after a NaN (blank samples of a dead run) are not counted; an
      episode from the first sample after step 0 that is over within the first WARMUP of the run
      is optional (the generator's first blobs, before it has learnt any digit).
    - the other kinds: the recipe says so, from its onset (0 unless the recipe changes at a step).
    """
    steps = truth['steps']
    expected = []
    nf = truth['losses']['firstNonFinite']
    if nf is not None:
        expected.append({'kind': 'non-finite', 'onset': nf, 'end': steps - 1})
    for kind in truth['recipeExpects']:
        if kind in ('non-finite', 'mode-collapse'):
            continue
        if kind == 'saturated':
            c = truth['losses']['longestConstant']
            expected.append({'kind': kind, 'onset': c['start'], 'end': c['start'] + c['length'] - 1})
        else:
            expected.append({'kind': kind, 'onset': truth['recipe'].get('onset', 0), 'end': steps - 1})
    points = [p for p in truth['sampleSteps'] if p['step'] > 0 and (nf is None or p['step'] < nf)]
    run = []
    for i, p in enumerate(points + [None]):
        if p is not None and p['classesFor90'] <= COLLAPSE_CLASSES:
            run.append(p)
            continue
        if len(run) >= 2:
            # The generator's first blobs (all alike while it starts to learn) are warm-up, not a
            # collapse: an episode over before WARMUP of the run is optional (neither required nor
            # a false alarm). One that lasts beyond it is a collapse from its first step.
            expected.append({'kind': 'mode-collapse', 'onset': run[0]['step'], 'end': run[-1]['step'],
                             'partial': min(q['classesFor90'] for q in run) > 1,
                             'optional': run[0] is points[0] and run[-1]['step'] < WARMUP * steps})
        run = []
    for e in expected:
        e['severity'] = SEVERITY[e['kind']]
    allowed = sorted(set(allow))
    return expected, allowed


def relabel(out: str):
    """Recomputes expected/allowed in every truth.json from its stored facts (no training)."""
    specs = {r['name']: r for r in RUNS}
    for name in sorted(os.listdir(out)):
        p = os.path.join(out, name, 'truth.json')
        if not os.path.exists(p) or name not in specs:
            continue
        truth = json.load(open(p))
        if 'longestConstant' not in truth['losses']:
            truth['losses']['longestConstant'] = longest_constant(*read_losses(os.path.join(out, name), specs[name]['losses']))
        truth['expected'], truth['allowed'] = expectations(truth, specs[name].get('allow', []))
        json.dump(truth, open(p, 'w'), indent=1)
        print(name, [(e['kind'], e['onset'], e['end']) for e in truth['expected']], truth['allowed'])


def first_non_finite(d, g):
    bad = np.where(~np.isfinite(d) | ~np.isfinite(g))[0]
    return int(bad[0]) if len(bad) else None


def robust(v):
    v = v[np.isfinite(v)]
    return round(float(np.median(v)), 4) if len(v) else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', default=os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'corpus', 'runs'))
    ap.add_argument('--only', default='')
    ap.add_argument('--relabel', action='store_true', help='recompute the expectations in existing truth.json files')
    args = ap.parse_args()
    if args.relabel:
        return relabel(args.out)
    only = set(filter(None, args.only.split(',')))
    os.makedirs(args.out, exist_ok=True)
    for spec in RUNS:
        if only and spec['name'] not in only:
            continue
        run_one(dict(spec), args.out)


if __name__ == '__main__':
    sys.exit(main())
