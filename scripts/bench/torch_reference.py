#!/usr/bin/env python3
"""PyTorch reference for `motiflens bench`: the same workloads as src/main/bench/workloads.ts.

Same layers, batch sizes, optimizer (Adam, lr 1e-3), loss (binary cross-entropy) and random
one-hot data, on the CPU with a fixed thread count (2 by default, like the test machine).
Prints ONE JSON document on stdout:
  {"torch": "<version>", "threads": 2, "workloads": [{"name", "train_samples_per_s",
   "infer_samples_per_s", "peak_rss_mb"}]}
Training samples/s is the median of `--epochs` epochs after one warm-up epoch.

Usage: /usr/bin/python3 scripts/bench/torch_reference.py [--workloads a,b] [--epochs N] [--threads N]
       /usr/bin/python3 scripts/bench/torch_reference.py --describe   # parameter counts, no training
"""
import argparse
import json
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn


class MotifCNN(nn.Module):
    """Conv1D 32x15 relu, global max-pool, Dense 1 sigmoid (sigmoid folded into the loss)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(4, 32, 15)
        self.out = nn.Linear(32, 1)

    def forward(self, x):  # x: [n, 4, length] (channels first, torch's layout)
        h = torch.relu(self.conv(x)).amax(dim=2)
        return self.out(h)


class DanQ(nn.Module):
    """Conv -> relu -> max-pool -> dropout -> BiLSTM (all steps, concat) -> [dropout] -> flatten -> Dense relu -> Dense."""

    def __init__(self, length, filters, width, pool, units, dense, targets, lstm_dropout):
        super().__init__()
        self.conv = nn.Conv1d(4, filters, width)
        self.pool = nn.MaxPool1d(pool)
        self.drop1 = nn.Dropout(0.2)
        self.lstm = nn.LSTM(filters, units, batch_first=True, bidirectional=True)
        self.drop2 = nn.Dropout(lstm_dropout)
        steps = (length - width + 1) // pool
        self.dense = nn.Linear(steps * 2 * units, dense)
        self.out = nn.Linear(dense, targets)

    def forward(self, x):
        h = self.drop1(self.pool(torch.relu(self.conv(x))))
        h, _ = self.lstm(h.transpose(1, 2))
        h = self.drop2(h).flatten(1)
        return self.out(torch.relu(self.dense(h)))


class DeepSEA(nn.Module):
    """Conv 320x8, pool 4, drop .2, Conv 480x8, pool 4, drop .2, Conv 960x8, drop .5, Dense 925 relu, Dense 919."""

    def __init__(self, length=1000, targets=919):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv1d(4, 320, 8), nn.ReLU(), nn.MaxPool1d(4), nn.Dropout(0.2),
            nn.Conv1d(320, 480, 8), nn.ReLU(), nn.MaxPool1d(4), nn.Dropout(0.2),
            nn.Conv1d(480, 960, 8), nn.ReLU(), nn.Dropout(0.5),
        )
        steps = ((length - 7) // 4 - 7) // 4 - 7
        self.dense = nn.Linear(steps * 960, 925)
        self.out = nn.Linear(925, targets)

    def forward(self, x):
        h = self.body(x).flatten(1)
        return self.out(torch.relu(self.dense(h)))


# name: (builder, length, targets, batch, samples, infer batch) -- keep in step with workloads.ts
WORKLOADS = {
    "motif-cnn": (lambda: MotifCNN(), 200, 1, 64, 4096, 256),
    "danq-lite": (lambda: DanQ(500, 64, 19, 13, 32, 64, 10, 0.0), 500, 10, 64, 1024, 256),
    "deepsea": (lambda: DeepSEA(), 1000, 919, 16, 64, 64),
    "danq": (lambda: DanQ(1000, 320, 26, 13, 320, 925, 919, 0.5), 1000, 919, 16, 64, 64),
}


def one_hot(n, length, gen):
    idx = torch.randint(0, 4, (n, length), generator=gen)
    return torch.nn.functional.one_hot(idx, 4).float().transpose(1, 2).contiguous()  # [n, 4, length]


def bench(name, epochs):
    build, length, targets, batch, samples, infer_batch = WORKLOADS[name]
    gen = torch.Generator().manual_seed(1)
    x = one_hot(samples, length, gen)
    y = torch.randint(0, 2, (samples, targets), generator=gen).float()
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.BCEWithLogitsLoss()

    def epoch():
        model.train()
        order = torch.randperm(samples, generator=gen)
        t = time.perf_counter()
        for s in range(0, samples, batch):
            i = order[s : s + batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[i]), y[i])
            loss.backward()
            opt.step()
        return samples / (time.perf_counter() - t)

    epoch()  # warm-up
    train = statistics.median(epoch() for _ in range(epochs))

    model.eval()
    rates = []
    with torch.no_grad():
        for _ in range(3):
            t = time.perf_counter()
            for s in range(0, samples, infer_batch):
                torch.sigmoid(model(x[s : s + infer_batch]))
            rates.append(samples / (time.perf_counter() - t))
    return {
        "name": name,
        "train_samples_per_s": round(train, 1),
        "infer_samples_per_s": round(statistics.median(rates), 1),
        # ru_maxrss is the process peak so far (KiB on Linux): later workloads include earlier ones.
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workloads", default="motif-cnn,danq-lite")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--describe", action="store_true", help="print each workload's parameter count and exit")
    args = ap.parse_args()
    if args.describe:
        # torch's LSTM keeps two bias vectors (b_ih + b_hh) where Keras/tfjs keeps one sum:
        # leave b_hh out so the counts compare with tfjs' model.countParams().
        counts = {
            n: sum(p.numel() for name, p in w[0]().named_parameters() if "bias_hh" not in name)
            for n, w in WORKLOADS.items()
        }
        print(json.dumps({"torch": torch.__version__, "parameters": counts}))
        return
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    names = [n for n in args.workloads.split(",") if n]
    unknown = [n for n in names if n not in WORKLOADS]
    if unknown:
        sys.exit(f"torch_reference.py: unknown workload(s) {', '.join(unknown)}; known: {', '.join(WORKLOADS)}")
    results = [bench(n, max(1, args.epochs)) for n in names]
    print(json.dumps({"torch": torch.__version__, "threads": args.threads, "workloads": results}))


if __name__ == "__main__":
    main()
