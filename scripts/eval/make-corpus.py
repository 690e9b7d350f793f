#!/usr/bin/python3
"""Makes the labelled evaluation corpus (test/corpus/runs/*): real training runs of tiny MLP GANs on
scikit-learn's bundled digits (8x8, no network), with the healthy recipe and broken variants.

Each run folder holds what a user would have on disk (loss files in one of the formats the product
reads, sample grids in one of several layouts) plus `truth.json`, written from OUTSIDE the
detectors: the recipe (what was broken, from which step, and the loss formulation it trains) and an
independent digits classifier (an SVC trained on the real digits) that labels 200 fresh samples of
the generator at every saved sample step: the classes present, the share of the top class, its
confidence. The runs made for issue #24 also store, per sample step, the class counts, D's accuracy
at telling 200 real from 200 fake samples, and each loss's median around the step.

Run with Debian's torch (python3-torch 1.13, python3-sklearn, python3-pil):
    nice -n 15 /usr/bin/python3 scripts/eval/make-corpus.py [--out test/corpus/runs] [--only name,...]
One thread, small MLPs: about 25 minutes for the whole corpus on a busy 2-core machine (most runs
one to two minutes; seeds fixed, so a rerun trains the same networks and writes the same bytes).
`--relabel` recomputes the truth in the existing truth.json files without training (the first
corpus's runs read their loss files for the loss windows once); `--remeasure name,...` retrains runs
of the first corpus to add D's accuracy where their truth needs it (oscillation: its losses pass
through chance), checking that the retrained files are the committed bytes. CI never runs this; it reads the
committed corpus (`npm run eval`, test/unit/eval-corpus.test.ts).

What a right diagnosis of each run holds (`expected`, `allowed`) is decided by `expectations()` from
the recipe and the classifier's labels only; see its docstring. `samplesStopImproving` (the step
after which the classifier's view of the samples stops improving) is stops_improving()'s, and the
reference state an equilibrium must be at is at_reference()'s.
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
        'classCounts': [int(c) for c in counts],
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
    """Trains the recipe. Returns the per-step losses (`d`, `g`, and the terms a format logs apart:
    `d_real`, `d_fake`, `g2`), the sample batches at the sample steps and the judge's view there."""
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
    # A second generator with its own adversarial term, judged by the same D (made after the first
    # networks, so the runs without one draw the same random numbers as before).
    G2 = mlp([Z, 128, 128, 64], nn.Tanh()) if spec.get('lr_g2') else None
    opt_g2 = torch.optim.Adam(G2.parameters(), lr=spec['lr_g2'], betas=betas) if G2 else None
    fixed_z = torch.randn(spec['tiles'], Z, generator=torch.Generator().manual_seed(1))
    judge_z = torch.randn(JUDGE_SAMPLES, Z, generator=torch.Generator().manual_seed(2))
    prototypes = torch.randn(3, Z, generator=torch.Generator().manual_seed(3))
    judge_real = REAL[torch.randperm(len(REAL), generator=torch.Generator().manual_seed(4))[:JUDGE_SAMPLES]]
    bs = 64
    hist = {k: np.zeros(steps, np.float32) for k in ['d', 'g', 'd_real', 'd_fake'] + (['g2'] if G2 else [])}
    grids = {}
    judged = {}
    noise = spec.get('instance_noise', 0.0)
    measure_rng = torch.Generator().manual_seed(5)

    def dis(x):
        """D as it is trained: on instance-noised inputs when the recipe adds noise."""
        return D(x + noise * torch.randn_like(x)) if noise else D(x)

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

    def d_terms(dr, df):
        """D's real and fake terms, as the formulation defines them."""
        if loss == 'bce':
            return bce_terms(dr, 1), bce_terms(df, 0)
        if loss == 'lsgan':
            return ((dr - 1) ** 2).mean(), (df ** 2).mean()
        if loss == 'hinge':
            return F.relu(1 - dr).mean(), F.relu(1 + df).mean()
        return -dr.mean(), df.mean()

    def g_term(df):
        if loss == 'bce':
            return bce_terms(df, 1)
        if loss == 'lsgan':
            # The LSGAN paper halves G's MSE (0.5, the default); junyanz's GANLoss does not (1.0).
            return spec.get('lsgan_g', 0.5) * ((df - 1) ** 2).mean()
        return -df.mean()

    def d_accuracy(fakes):
        """Share of real and fake samples D tells apart, at the formulation's midpoint (None for WGAN)."""
        if loss.startswith('wgan'):
            return None
        mid = 0.5 if spec.get('sigmoid_d') or loss == 'lsgan' else 0.0
        # Through the recipe's instance noise as D is trained, drawn 5 times from a generator of its own
        # (the training's random numbers stay as they were).
        draws = 5 if noise else 1
        sr = torch.cat([D(judge_real + noise * torch.randn(judge_real.shape, generator=measure_rng)) for _ in range(draws)])
        sf = torch.cat([D(fakes + noise * torch.randn(fakes.shape, generator=measure_rng)) for _ in range(draws)])
        return round(float(0.5 * ((sr > mid).float().mean() + (sf < mid).float().mean())), 3)

    for step in range(steps):
        for group in opt_d.param_groups:
            group['lr'] = spec['lr_d'] * spec.get('lr_d_factor', lambda s: 1.0)(step)
        if step in sample_steps:
            with torch.no_grad():
                grids[step] = G(latent(fixed_z)).numpy().copy()
                fakes = G(latent(judge_z))
                judged[step] = judge(fakes.numpy())
                judged[step]['dAccuracy'] = d_accuracy(fakes)
                if G2:
                    fakes2 = G2(judge_z)
                    judged[step]['secondGenerator'] = {**judge(fakes2.numpy()), 'dAccuracy': d_accuracy(fakes2)}
        real = REAL[torch.randint(0, len(REAL), (bs,))]
        n_critic = spec.get('n_critic', 1)
        for _ in range(n_critic):
            z = latent(torch.randn(bs, Z))
            fake = G(z).detach()
            dr, df = dis(real), dis(fake)
            lr_, lf = d_terms(dr, df)
            if G2:
                # The fork's D sees both generators' fakes: its fake term is their mean.
                lf = 0.5 * (lf + d_terms(dr, dis(G2(torch.randn(bs, Z)).detach()))[1])
            if loss == 'bce':
                ld = (lr_ + lf) / 2 if spec.get('d_mean') else lr_ + lf
            elif loss == 'lsgan':
                ld = 0.5 * lr_ + 0.5 * lf  # junyanz's (real + fake) * 0.5, as the first corpus computed it
            elif loss == 'hinge':
                ld = lr_ + lf
            else:  # wgan-gp, wgan-free
                ld = lf + lr_
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
        lg = g_term(dis(G(z)))
        opt_g.zero_grad()
        lg.backward()
        opt_g.step()
        if G2:
            lg2 = g_term(dis(G2(torch.randn(bs, Z))))
            opt_g2.zero_grad()
            lg2.backward()
            opt_g2.step()
            hist['g2'][step] = lg2.item()
        hist['d'][step] = ld.item()
        hist['g'][step] = lg.item()
        hist['d_real'][step] = lr_.item()
        hist['d_fake'][step] = lf.item()
    return hist, grids, judged


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
# TensorBoard scalars every TB_EVERY steps and junyanz's loss_log.txt every JUNYANZ_EVERY steps
# (print_freq 512 images at batch size 64): what a hand-written loop and junyanz's defaults keep.
TB_EVERY = 10
JUNYANZ_EVERY = 8
BATCH = 64


def write_losses(root: str, spec: dict, hist: dict):
    fmt = spec['losses']
    d, g = hist['d'], hist['g']
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
    elif fmt == 'tfevents':
        # A hand-written loop's `writer.add_scalar('loss/d', d_loss.item(), step)` every TB_EVERY steps.
        keep = steps[::TB_EVERY]
        write_tfevents(os.path.join(root, 'runs', 'events.out.tfevents.1700000000.corpus.1.0'),
                       [(int(s), {'loss/d': float(d[s]), 'loss/g': float(g[s])}) for s in keep])
    elif fmt == 'junyanz':
        write_junyanz(root, spec, hist)
    else:
        raise ValueError(fmt)


def write_junyanz(root: str, spec: dict, hist: dict):
    """junyanz util/visualizer.py's loss_log.txt: `(epoch: %d, iters: %d, time: %.3f, data: %.3f) ` then
    `%s: %.3f ` per loss, printed every JUNYANZ_EVERY steps; `iters` counts images within the epoch."""
    per = spec['epoch_steps']
    with open(os.path.join(root, 'loss_log.txt'), 'w') as f:
        f.write('================ Training Loss (Thu Nov 16 10:13:20 2023) ================\n')
        for s in range(JUNYANZ_EVERY - 1, spec['steps'], JUNYANZ_EVERY):
            values = ' '.join(f'{name}: {hist[key][s]:.3f}' for name, key in spec['junyanz_names'])
            f.write(f'(epoch: {s // per + 1}, iters: {(s % per + 1) * BATCH}, time: 0.012, data: 0.002) {values} \n')
    if spec.get('train_opt'):
        # base_options.print_options: `{:>25}: {:<30}{}` per option, sorted, between two rulers.
        lines = ['----------------- Options ---------------']
        lines += ['{:>25}: {:<30}{}'.format(k, str(v), '') for k, v in sorted(spec['train_opt'].items())]
        lines.append('----------------- End -------------------')
        with open(os.path.join(root, 'train_opt.txt'), 'w') as f:
            f.write('\n'.join(lines) + '\n')


def junyanz_axis(spec: dict, step: float) -> float:
    """A training step on the axis junyanz's log gives (epochs from 1: `epoch + iters / iters-per-epoch`)."""
    return round(1 + (step + 1) / spec["epoch_steps"], 3)


def write_tfevents(path: str, events: list):
    """TensorBoard's record format (length, masked CRC-32C, Event proto, masked CRC-32C), written by hand
    so that no TensorFlow is needed: Event{wall_time=1, step=2, file_version=3, summary=5{value=1{tag=1, simple_value=2}}}."""
    import struct

    def varint(n):
        out = b''
        while True:
            b, n = n & 0x7F, n >> 7
            out += bytes([b | (0x80 if n else 0)])
            if not n:
                return out

    def field(num, wire, payload):
        return varint(num << 3 | wire) + payload

    def record(data):
        head = struct.pack('<Q', len(data))
        return head + struct.pack('<I', masked_crc(head)) + data + struct.pack('<I', masked_crc(data))

    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        version = b'brain.Event:2'
        f.write(record(field(1, 1, struct.pack('<d', 1700000000.0)) + field(3, 2, varint(len(version)) + version)))
        for step, scalars in events:
            values = b''
            for tag, v in scalars.items():
                t = tag.encode()
                value = field(1, 2, varint(len(t)) + t) + field(2, 5, struct.pack('<f', v))
                values += field(1, 2, varint(len(value)) + value)
            event = field(1, 1, struct.pack('<d', 1700000000.0 + step * 0.05)) + field(2, 0, varint(step)) + field(5, 2, varint(len(values)) + values)
            f.write(record(event))


def crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for b in data:
        crc = CRC32C_TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


CRC32C_TABLE = []
for _i in range(256):
    _c = _i
    for _ in range(8):
        _c = (_c >> 1) ^ 0x82F63B78 if _c & 1 else _c >> 1
    CRC32C_TABLE.append(_c)


def masked_crc(data: bytes) -> int:
    c = crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def read_losses(root: str, fmt: str) -> tuple:
    """The training steps and the D and G losses back from what write_losses wrote (the formats of
    the first corpus; the later runs store what relabel needs in truth.json)."""
    if fmt == 'npy-pair':
        d, g = np.load(os.path.join(root, 'result', 'discriminator_loss.npy')), np.load(os.path.join(root, 'result', 'generator_loss.npy'))
        return np.arange(len(d)), d, g
    if fmt == 'npy-2col':
        a = np.load(os.path.join(root, 'losses.npy'))
        return np.arange(len(a)), a[:, 0], a[:, 1]
    if fmt == 'csv':
        a = np.genfromtxt(os.path.join(root, 'losses.csv'), delimiter=',', skip_header=1)
        return a[:, 0], a[:, 1], a[:, 2]
    if fmt == 'jsonl':
        rows = [json.loads(line) for line in open(os.path.join(root, 'metrics.jsonl'))]
        return np.array([r['step'] for r in rows]), np.array([float(r['loss_D']) for r in rows]), np.array([float(r['loss_G']) for r in rows])
    if fmt == 'chainer':
        entries = json.load(open(os.path.join(root, 'log')))
        # Each entry is the mean of the 20 iterations before it: its middle step.
        return np.array([e['iteration'] - 10 for e in entries]), np.array([float(e['loss_dis']) for e in entries]), np.array([float(e['loss_gen']) for e in entries])
    raise ValueError(f'{root}: {fmt} runs store their loss windows in truth.json')


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
    # Issue #24: runs whose losses are read against the wrong reference unless the formulation is known.
    dict(name='healthy-bce-summed-tb', loss='bce', lr_d=2e-4, lr_g=2e-4, steps=6000, seed=17,
         losses='tfevents', layout=dict(rows=5, cols=5, px=20, pad=2), pattern='samples/step_{step}.png',
         expect=[], story="A hand-written loop's BCE: d_loss = d_loss_real + d_loss_fake (summed, as DCGAN-tensorflow and pytorch-gan-collections do, so D starts at 2 ln 2), logged to TensorBoard as loss/d and loss/g every 10 steps."),
    dict(name='healthy-lsgan-pix2pix', loss='lsgan', lsgan_g=1.0, lr_d=2e-4, lr_g=2e-4, steps=6000, seed=19,
         losses='junyanz', epoch_steps=250, junyanz_names=[('G_GAN', 'g'), ('D_real', 'd_real'), ('D_fake', 'd_fake')],
         layout=dict(rows=4, cols=4, px=24, pad=2), pattern='web/images/epoch{epoch:03d}_fake_B.png',
         expect=[], story="LSGAN as junyanz's GANLoss computes it (MSE; D = 0.5 * (D_real + D_fake)), logged in a pix2pix-style loss_log.txt (G_GAN, D_real, D_fake) with no train_opt.txt; one sample grid per epoch (250 steps)."),
    dict(name='lsgan-d-won', loss='lsgan', lsgan_g=1.0, lr_d=2e-3, lr_g=2e-5, d_hidden=256, steps=6000, seed=20,
         losses='junyanz', epoch_steps=250, junyanz_names=[('G_GAN', 'g'), ('D_real', 'd_real'), ('D_fake', 'd_fake')],
         layout=dict(rows=4, cols=4, px=24, pad=2), pattern='web/images/epoch{epoch:03d}_fake_B.png',
         expect=['d-dominant'], allow=['saturated'], story="LSGAN as junyanz computes it, no train_opt.txt; D learns 100x faster than G (2e-3 vs 2e-5) and is twice as wide: D wins, D_real and D_fake go to 0.000 while G_GAN is pinned near 1."),
    dict(name='hinge-d-won', loss='hinge', lr_d=2e-3, lr_g=2e-5, d_hidden=256, steps=6000, seed=21,
         losses='csv', layout=dict(rows=4, cols=6, px=20, pad=2), pattern='samples/fake_{step}.png',
         expect=['d-dominant'], story='Hinge loss; D learns 100x faster than G (2e-3 vs 2e-5) and is twice as wide: D wins (its hinge terms go to 0) while G loss climbs.'),
    dict(name='equilibrium-instance-noise', loss='bce', d_mean=True, instance_noise=1.2, lr_d=2e-4, lr_g=2e-4, steps=6000, seed=18,
         losses='jsonl', layout=dict(rows=5, cols=5, px=20, pad=2), pattern='images/sample_{step:05d}.png',
         expect=[], story="BCE with D averaged over real and fake, and instance noise (sigma 1.2) added to D's inputs, real and fake: D sees both through heavy noise and cannot tell them apart, so both losses sit at chance (ln 2) while G still learns digits. The reference state, reached for real."),
    dict(name='two-generators', loss='bce', d_mean=True, lr_d=2e-4, lr_g=2e-4, lr_g2=2e-6, steps=6000, seed=22,
         losses='junyanz', epoch_steps=250, junyanz_names=[('G_GAN', 'g'), ('G_2_GAN', 'g2'), ('D_real', 'd_real'), ('D_fake', 'd_fake')],
         train_opt=dict(batch_size=64, dataset_mode='aligned', gan_mode='vanilla', lr=0.0002, model='pix2pix2g', n_epochs=24, name='digits_2g', netD='basic', netG='mlp'),
         layout=dict(rows=4, cols=4, px=24, pad=2), pattern='web/images/epoch{epoch:03d}_fake_B.png',
         expect=[{'kind': 'd-dominant', 'generator': 'G_2_GAN'}],
         story="A pix2pix fork with two generators and one D (gan_mode vanilla in train_opt.txt; D = 0.5 * (D_real + D_fake), its fake term the mean over both generators' fakes): G_GAN's generator trains at 2e-4 and stays healthy, the second (G_2_GAN) at 2e-6 never learns, so D beats it. Only the first generator's samples are saved."),
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
    junyanz = spec['losses'] == 'junyanz'
    if junyanz:
        # junyanz names a sample by its epoch (`epoch007_fake_B.png`): one per epoch, at its first display.
        steps_list = list(range(0, spec['steps'], spec['epoch_steps']))
        axis = lambda s: junyanz_axis(spec, s)  # noqa: E731
        sample_axis = lambda s: s // spec['epoch_steps'] + 1  # noqa: E731
    else:
        steps_list = sample_steps_of(spec['steps'])
        axis = sample_axis = lambda s: s  # noqa: E731
    hist, grids, judged = train(spec, set(steps_list))
    d, g = hist['d'], hist['g']
    write_losses(root, spec, hist)
    for s in steps_list:
        rel = spec['pattern'].format(step=s, epoch=sample_axis(s))
        os.makedirs(os.path.dirname(os.path.join(root, rel)) or root, exist_ok=True)
        grid_image(grids[s], lay).save(os.path.join(root, rel), optimize=True)
    windows = loss_windows(np.arange(spec['steps']), {k: hist[k] for k in ('d', 'g', 'g2') if k in hist}, steps_list)
    nf = first_non_finite(d, g)
    constant = longest_constant(d, g)
    if constant['start'] is not None and junyanz:
        constant = {**constant, 'start': axis(constant['start']), 'end': axis(constant['start'] + constant['length'] - 1)}
    truth = {
        'name': spec['name'],
        'story': spec['story'],
        'recipe': {k: v for k, v in spec.items() if isinstance(v, (int, float, str, bool)) and k not in ('name', 'story')},
        'layout': {k: lay.get(k, 0) for k in ('rows', 'cols', 'px', 'pad')} | {'rgb': bool(lay.get('rgb'))},
        # On the axis the run's files give: training steps, or junyanz's epochs (`stepsPerEpoch` steps each).
        'steps': spec['steps'] / spec['epoch_steps'] if junyanz else spec['steps'],
        'recipeExpects': spec['expect'],
        'sampleSteps': [{'step': sample_axis(s), **judged[s], **windows[s]} for s in steps_list],
        'losses': {
            'firstNonFinite': None if nf is None else axis(nf),
            'longestConstant': constant,
            'dLast10pct': robust(d[-spec['steps'] // 10 :]),
            'gLast10pct': robust(g[-spec['steps'] // 10 :]),
        },
    }
    if junyanz:
        truth |= {'stepUnit': 'epoch', 'stepsPerEpoch': spec['epoch_steps'], 'firstStep': axis(0), 'lastStep': axis(spec['steps'] - 1)}
    if 'g2' in hist:
        truth['losses']['g2Last10pct'] = robust(hist['g2'][-spec['steps'] // 10 :])
    add_truth(truth, spec.get('allow', []))
    with open(os.path.join(root, 'truth.json'), 'w') as f:
        json.dump(truth, f, indent=1)
    summary = ' '.join(f"{j['step']}:{j['classesFor90']}/{j['confidence']:.2f}/{j['dAccuracy']}" for j in truth['sampleSteps'][::3])
    print(f"{spec['name']}: D {truth['losses']['dLast10pct']} G {truth['losses']['gLast10pct']} nonfinite@{truth['losses']['firstNonFinite']}  "
          f"stops improving @{truth['samplesStopImproving']}  classes90/confidence/D accuracy: {summary}", flush=True)
    for e in truth['expected']:
        print(f"  expect {e}", flush=True)


def loss_windows(steps: np.ndarray, series: dict, sample_steps: list) -> dict:
    """Each loss's median (finite values) around each sample step: from the midpoint to the previous
    sample step to the midpoint to the next one. Keys dLoss, gLoss (and g2Loss)."""
    out = {}
    for i, s in enumerate(sample_steps):
        lo = (sample_steps[i - 1] + s) / 2 if i else s
        hi = (s + sample_steps[i + 1]) / 2 if i + 1 < len(sample_steps) else s + 1
        inside = (steps >= lo) & (steps < hi)
        out[s] = {f'{k}Loss': robust(np.asarray(v, dtype=np.float64)[inside]) for k, v in series.items()}
    return out


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
            'g-dominant': 'warning', 'oscillation': 'info', 'mode-collapse': 'warning', 'equilibrium': 'info', 'plateau': 'info'}
LN2 = math.log(2)

# "The samples stop improving" (see stops_improving()): a later sample step only counts as better when
# the classifier's confidence (3-step mean) beats the best before by more than IMPROVE_CONFIDENCE, or its
# coverage (classes for 90% of the samples, 3-step median) by more than IMPROVE_CLASSES. 0.03 is twice
# the step-to-step jitter of the 3-step mean over healthy-bce-30k's flat last 60% (0.84 to 0.87).
IMPROVE_CONFIDENCE = 0.03
IMPROVE_CLASSES = 1
# A failure-free run whose samples stopped improving with at least this share of the run left holds a
# plateau: training stopped paying off.
PLATEAU_TAIL = 0.25
# The reference state (see at_reference()): both losses within REFERENCE_TOLERANCE of their chance
# level, D telling at most REFERENCE_D_ACCURACY of real and fake samples apart, and samples that are
# digits to the classifier (a pair that has learnt nothing is at chance too).
REFERENCE_TOLERANCE = 0.2
REFERENCE_D_ACCURACY = 0.6
DIGITS_CONFIDENCE = 0.5
DIGITS_CLASSES = 6


def formulation(recipe: dict) -> dict:
    """The loss formulation the recipe trains, and its chance levels (the losses when D outputs its
    midpoint: D(x) = 0.5, or a logit of 0), with the tolerance the reference state allows."""
    loss = recipe['loss']
    if loss == 'bce':
        mean = bool(recipe.get('d_mean'))
        d, g, term = (LN2 if mean else 2 * LN2), LN2, LN2
        form = {'lossType': 'bce', 'dComposition': 'mean' if mean else 'sum', 'penalties': []}
    elif loss == 'lsgan':
        # D = 0.5 * (MSE real + MSE fake) (junyanz, and the paper's halves); G = lsgan_g * MSE.
        d, g, term = 0.25, 0.25 * recipe.get('lsgan_g', 0.5), 0.25
        form = {'lossType': 'lsgan', 'dComposition': 'mean', 'lsganG': recipe.get('lsgan_g', 0.5), 'penalties': []}
    elif loss == 'hinge':
        # D = relu(1 - D(x)) + relu(1 + D(G(z))): 2 at a logit of 0; G = -D(G(z)): 0 there.
        d, g, term = 2.0, 0.0, 1.0
        form = {'lossType': 'hinge', 'dComposition': 'sum', 'penalties': []}
    else:
        return {'lossType': 'wgan', 'dComposition': 'sum', 'penalties': ['gradient penalty'] if loss == 'wgan-gp' else [],
                'dChance': None, 'gChance': None}
    tol = lambda c: round(REFERENCE_TOLERANCE * (c or term), 4)  # noqa: E731 (hinge's G chance is 0: a term's chance scales it)
    return form | {'dChance': round(d, 4), 'gChance': round(g, 4), 'dTolerance': tol(d), 'gTolerance': tol(g)}


def at_reference(p: dict, form: dict) -> bool:
    """A sample step at the formulation's reference state: both losses (median around the step) at
    their chance level, D unable to tell real from fake, and samples the classifier reads as digits."""
    if form['dChance'] is None or p.get('dLoss') is None or p.get('gLoss') is None:
        return False
    if abs(p['dLoss'] - form['dChance']) > form['dTolerance'] or abs(p['gLoss'] - form['gChance']) > form['gTolerance']:
        return False
    if p['confidence'] < DIGITS_CONFIDENCE or p['classesFor90'] < DIGITS_CLASSES:
        return False
    if p.get('dAccuracy') is None:
        raise RuntimeError(f"step {p['step']}: losses at chance but no D accuracy stored: --remeasure this run")
    return p['dAccuracy'] <= REFERENCE_D_ACCURACY


def stops_improving(points: list) -> float:
    """The sample step after which the classifier's view of the samples stops improving: the first
    step s such that no later step beats the best up to s by more than the tolerance, in confidence
    (mean top-class probability, 3-step mean) nor in coverage (classes for 90%, 3-step median)."""
    def around(values, pick):
        return [pick(values[max(0, i - 1) : i + 2]) for i in range(len(values))]

    confidence = around([p['confidence'] for p in points], lambda w: sum(w) / len(w))
    coverage = around([p['classesFor90'] for p in points], lambda w: sorted(w)[len(w) // 2])
    for i, p in enumerate(points):
        if all(max(m[i + 1 :], default=-math.inf) <= max(m[: i + 1]) + tol
               for m, tol in ((confidence, IMPROVE_CONFIDENCE), (coverage, IMPROVE_CLASSES))):
            return p['step']
    return points[-1]['step']


def add_truth(truth: dict, allow: list):
    """Fills formulation, samplesStopImproving, expected and allowed from the stored facts."""
    truth['formulation'] = formulation(truth['recipe'])
    nf = truth['losses']['firstNonFinite']
    points = [p for p in truth['sampleSteps'] if nf is None or p['step'] < nf]
    truth['samplesStopImproving'] = stops_improving(points)
    truth['expected'], truth['allowed'] = expectations(truth, allow)


def expectations(truth: dict, allow: list) -> tuple:
    """Expected findings (kind, onset, end, least severity) from the recipe and the classifier, never from a detector.

    - non-finite: the first NaN/inf in the loss files.
    - saturated: the recipe clamps the loss; onset = start of the longest exactly-constant streak.
    - mode-collapse: sample steps after step 0 (an untrained generator is not a collapse) at which
      the classifier needs at most COLLAPSE_CLASSES classes for 90% of the samples, two sample steps
      in a row at least; steps after a NaN (blank samples of a dead run) are not counted; an
      episode from the first sample after step 0 that is over within the first WARMUP of the run
      is optional (the generator's first blobs, before it has learnt any digit).
    - equilibrium: two sample steps in a row at least at the formulation's reference state (see
      at_reference()), from the first to the last of them; one step off it between two on it does
      not end the episode.
    - plateau: a run with no other episode expected (nothing broken, not at the reference: a flat
      stretch there is an equilibrium) whose samples stopped improving (samplesStopImproving) with
      at least PLATEAU_TAIL of the run left: from that step to the end. (A constant recipe's losses
      settle; whether the samples still improve over the flat stretch is the truth.)
    - the other kinds: the recipe says so, from its onset (0 unless the recipe changes at a step);
      an entry may name the generator it is about (`generator`: the loss series' name).
    """
    steps = truth['steps']
    first = truth.get('firstStep', 0)
    last = truth.get('lastStep', steps - 1)
    expected = []
    nf = truth['losses']['firstNonFinite']
    if nf is not None:
        expected.append({'kind': 'non-finite', 'onset': nf, 'end': last})
    for entry in truth['recipeExpects']:
        kind = entry if isinstance(entry, str) else entry['kind']
        if kind in ('non-finite', 'mode-collapse'):
            continue
        if kind == 'saturated':
            c = truth['losses']['longestConstant']
            expected.append({'kind': kind, 'onset': c['start'], 'end': c.get('end', c['start'] + c['length'] - 1)})
        else:
            e = {'kind': kind, 'onset': truth['recipe'].get('onset', first), 'end': last}
            if not isinstance(entry, str) and entry.get('generator'):
                e['generator'] = entry['generator']
            expected.append(e)
    points = [p for p in truth['sampleSteps'][1:] if nf is None or p['step'] < nf]  # after training step 0
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
                             'optional': run[0] is points[0] and run[-1]['step'] < first + WARMUP * steps})
        run = []
    form = truth['formulation']
    judged = [q for q in truth['sampleSteps'] if nf is None or q['step'] < nf]
    at = [at_reference(q, form) for q in judged]
    # One sample step off the reference between two on it is noise, not the end of the episode.
    at = [a or (0 < i < len(at) - 1 and at[i - 1] and at[i + 1]) for i, a in enumerate(at)]
    run = []
    for p, a in zip(judged + [None], at + [False]):
        if a:
            run.append(p)
            continue
        if len(run) >= 2:
            end = last if run[-1] is truth['sampleSteps'][-1] else run[-1]['step']
            expected.append({'kind': 'equilibrium', 'onset': run[0]['step'], 'end': end})
        run = []
    stop = truth['samplesStopImproving']
    if not [e for e in expected if not e.get('optional')] and stop <= last - PLATEAU_TAIL * steps:
        expected.append({'kind': 'plateau', 'onset': stop, 'end': last})
    for e in expected:
        e['severity'] = SEVERITY[e['kind']]
    allowed = sorted(set(allow))
    return expected, allowed


def relabel(out: str):
    """Recomputes the truth in every truth.json from its stored facts (no training). The first corpus's
    runs get their loss windows (dLoss, gLoss at each sample step) from their loss files once."""
    specs = {r['name']: r for r in RUNS}
    for name in sorted(os.listdir(out)):
        p = os.path.join(out, name, 'truth.json')
        if not os.path.exists(p) or name not in specs:
            continue
        truth = json.load(open(p))
        fmt = specs[name]['losses']
        if 'longestConstant' not in truth['losses']:
            truth['losses']['longestConstant'] = longest_constant(*read_losses(os.path.join(out, name), fmt)[1:])
        if any('dLoss' not in q for q in truth['sampleSteps']):
            steps, d, g = read_losses(os.path.join(out, name), fmt)
            windows = loss_windows(steps, {'d': d, 'g': g}, [q['step'] for q in truth['sampleSteps']])
            for q in truth['sampleSteps']:
                q.update(windows[q['step']])
        add_truth(truth, specs[name].get('allow', []))
        json.dump(truth, open(p, 'w'), indent=1)
        print(name, f"stops improving @{truth['samplesStopImproving']}", [(e['kind'], e['onset'], e['end']) for e in truth['expected']], truth['allowed'])


def remeasure(out: str, names: list):
    """Retrains runs of the first corpus into a scratch folder to store what their truth.json lacks (D's
    accuracy, the class counts at each sample step). Seeds are fixed, so the retrained run must write
    the same bytes: every file is compared, and nothing is stored if one differs."""
    import filecmp
    import tempfile
    specs = {r['name']: r for r in RUNS}
    for name in names:
        with tempfile.TemporaryDirectory() as scratch:
            run_one(dict(specs[name]), scratch)
            here, there = os.path.join(out, name), os.path.join(scratch, name)
            files = sorted(os.path.relpath(os.path.join(d, f), there) for d, _, fs in os.walk(there) for f in fs if f != 'truth.json')
            differ = [f for f in files if not filecmp.cmp(os.path.join(here, f), os.path.join(there, f), shallow=False)]
            if differ:
                raise RuntimeError(f'{name}: the retrained run differs in {differ[:3]}: not stored')
            p = os.path.join(here, 'truth.json')
            truth = json.load(open(p))
            fresh = {q['step']: q for q in json.load(open(os.path.join(there, 'truth.json')))['sampleSteps']}
            for q in truth['sampleSteps']:
                q.update({k: fresh[q['step']][k] for k in ('dAccuracy', 'classCounts')})
            json.dump(truth, open(p, 'w'), indent=1)
            print(f'{name}: {len(files)} files identical; D accuracy and class counts stored', flush=True)


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
    ap.add_argument('--remeasure', default='', help='retrain these runs to add the measures their truth.json lacks (same bytes checked)')
    args = ap.parse_args()
    if args.remeasure:
        remeasure(args.out, [n for n in args.remeasure.split(',') if n])
    if args.relabel or args.remeasure:
        return relabel(args.out)
    only = set(filter(None, args.only.split(',')))
    os.makedirs(args.out, exist_ok=True)
    for spec in RUNS:
        if only and spec['name'] not in only:
            continue
        run_one(dict(spec), args.out)


if __name__ == '__main__':
    sys.exit(main())
