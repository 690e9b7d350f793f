# Vanilla GAN on MNIST (PyTorch). Saves the losses and a 5x5 sample grid every 200 iterations.
import os
import numpy as np
import torch
import torch.nn as nn
from torchvision import datasets, transforms
from torchvision.utils import save_image

device = 'cuda' if torch.cuda.is_available() else 'cpu'
latent_dim, epochs, batch_size, lr = 100, 30000, 64, 2e-4
os.makedirs('./result/image', exist_ok=True)

loader = torch.utils.data.DataLoader(
    datasets.MNIST('./data', train=True, download=True,
                   transform=transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.5], [0.5])])),
    batch_size=batch_size, shuffle=True, drop_last=True)

generator = nn.Sequential(
    nn.Linear(latent_dim, 256), nn.LeakyReLU(0.2), nn.BatchNorm1d(256),
    nn.Linear(256, 512), nn.LeakyReLU(0.2), nn.BatchNorm1d(512),
    nn.Linear(512, 784), nn.Tanh()).to(device)
discriminator = nn.Sequential(
    nn.Linear(784, 512), nn.LeakyReLU(0.2),
    nn.Linear(512, 256), nn.LeakyReLU(0.2),
    nn.Linear(256, 1), nn.Sigmoid()).to(device)

bce = nn.BCELoss()
opt_g = torch.optim.Adam(generator.parameters(), lr=lr, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(discriminator.parameters(), lr=lr, betas=(0.5, 0.999))
fixed_z = torch.randn(25, latent_dim, device=device)
discriminator_loss, generator_loss = [], []


def save_data():
    np.save('./result/discriminator_loss.npy', np.array(discriminator_loss))
    np.save('./result/generator_loss.npy', np.array(generator_loss))


batches = iter(loader)
for epoch in range(epochs):
    try:
        real, _ = next(batches)
    except StopIteration:
        batches = iter(loader)
        real, _ = next(batches)
    real = real.view(batch_size, -1).to(device)
    ones = torch.ones(batch_size, 1, device=device)
    zeros = torch.zeros(batch_size, 1, device=device)

    fake = generator(torch.randn(batch_size, latent_dim, device=device))
    d_loss = (bce(discriminator(real), ones) + bce(discriminator(fake.detach()), zeros)) / 2
    opt_d.zero_grad()
    d_loss.backward()
    opt_d.step()

    g_loss = bce(discriminator(fake), ones)
    opt_g.zero_grad()
    g_loss.backward()
    opt_g.step()

    discriminator_loss.append(d_loss.item())
    generator_loss.append(g_loss.item())
    if epoch % 200 == 0:
        with torch.no_grad():
            samples = generator(fixed_z).view(25, 1, 28, 28)
        save_image(samples, f'./result/image/{epoch}.png', nrow=5, normalize=True)
        print(f'epoch {epoch}: d_loss {d_loss.item():.4f} g_loss {g_loss.item():.4f}')

save_data()
