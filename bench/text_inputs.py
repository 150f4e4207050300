"""Cost of the code that reads user text, on adversarial inputs at 20,000 and 40,000
characters: the resume optimizer (all of its regular expressions), the resume link
checks, and contract template substitution. Linear code takes about twice as long for
twice the input; a quadratic pattern takes four times as long (and took seconds).

    .venv/bin/python bench/text_inputs.py [--repeat 3]

Figures are in bench/README.md.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from orbix.ai.optimizer import analyse  # noqa: E402
from orbix.contracts.rendering import substitute  # noqa: E402
from orbix.resumes.view import safe_url  # noqa: E402

INPUTS = {
    "no spaces (e-mail pattern)": lambda n: "a" * n,
    "one @ then no dot": lambda n: "a@" + "b" * n,
    "digits then a letter (number pattern)": lambda n: "1" * n + "a",
    "digits and spaces": lambda n: "1 " * (n // 2) + "x",
    "dots after a word (token pattern)": lambda n: "a" + "." * n,
    "phone-like punctuation": lambda n: "1" + "(" * n,
    "ordinary prose": lambda n: ("Led a team of 5 engineers; cut costs by 30%. " * (n // 45 + 1))[:n],
}
LINK_INPUTS = {
    "e-mail domain of dots": lambda n: "a@" + "." * n,
    "host of many labels": lambda n: "a" + ".b" * (n // 2) + "!",
}


def best(function, text, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function(text)
        times.append(time.perf_counter() - started)
    return min(times)


def row(label, function, make, repeat):
    small, large = best(function, make(20_000), repeat), best(function, make(40_000), repeat)
    ratio = large / small if small else float("nan")
    print(f"{label:45s} {small * 1000:9.1f} ms {large * 1000:9.1f} ms   x{ratio:.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'input':45s} {'20k':>12s} {'40k':>12s}   ratio")
    for label, make in INPUTS.items():
        row(f"optimizer: {label}", lambda text: analyse(text, text[:2000]), make, args.repeat)
    for label, make in LINK_INPUTS.items():
        row(f"resume link: {label}", lambda text: (safe_url(text), safe_url(text, email=True)), make, args.repeat)
    row(
        "template: placeholder-like braces",
        lambda text: substitute(text, {"a": "x"}),
        lambda n: "{{ a " * (n // 5),
        args.repeat,
    )


if __name__ == "__main__":
    main()
