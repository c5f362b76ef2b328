//! One training run of an MLP classifier or autoencoder by a first-order rule (Adam,
//! SGD-momentum, …) or a second-order method (K-FAC, Shampoo, Hessian-free), printing one line
//! per epoch: `epoch seconds train_loss`. Driven by `bench/stochastic/second_order.py`.
//!
//! ```text
//! cargo run --release --example second_order_bench -- X.npy [--labels y.npy | --autoencoder] \
//!     --arch 64-128-10 --act tanh --solver kfac --epochs 30 --batch 128 --lr 0.1 [--seed 0] \
//!     [--damping 1e-3]
//! ```

use std::path::Path;

use optml::data::{read_npy_matrix, read_npy_vector};
use optml::models::mlp::{parse_sizes, Activation, Mlp};
use optml::solvers::second_order::{Method, SecondOrder};
use optml::solvers::stochastic::{Layout, Rule, Stochastic, Training};

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let x_path = args.first().ok_or("usage: second_order_bench X.npy …")?;
    let (n, _d, x) = read_npy_matrix(Path::new(x_path))?;
    let sizes = parse_sizes(&flag("--arch").ok_or("--arch is required")?)?;
    let act: Activation = flag("--act").unwrap_or_else(|| "tanh".into()).parse()?;
    let f = if args.iter().any(|a| a == "--autoencoder") {
        Mlp::autoencoder(&sizes, act, n, &x)?
    } else {
        let y = read_npy_vector(Path::new(
            &flag("--labels").ok_or("--labels or --autoencoder")?,
        ))?;
        Mlp::classifier(&sizes, act, n, &x, &y)?
    };
    let num = |name: &str, default: f64| -> Result<f64, Box<dyn std::error::Error>> {
        Ok(flag(name)
            .map(|v| v.parse())
            .transpose()?
            .unwrap_or(default))
    };
    let solver = flag("--solver").ok_or("--solver is required")?;
    let run = Stochastic {
        rule: Rule::Sgd,
        lr: num("--lr", 0.1)?,
        epochs: num("--epochs", 30.0)? as usize,
        batch_size: num("--batch", 128.0)? as usize,
        seed: num("--seed", 0.0)? as u64,
        ..Default::default()
    };
    let mut theta = f.init(run.seed);
    let groups = f.groups();
    let layout = Layout {
        groups,
        accuracy: None,
    };
    let quiet = &mut optml::monitor::quiet();
    let training: Training = match Method::parse(&solver) {
        Ok(mut method) => {
            if let Some(d) = flag("--damping") {
                let d: f64 = d.parse()?;
                match &mut method {
                    Method::Kfac(k) => k.damping = d,
                    Method::HessianFree(h) => h.damping = d,
                    Method::Shampoo(s) => s.epsilon = d,
                }
            }
            SecondOrder { method, run }.minimize(&f, &mut theta, &layout, quiet)?
        }
        Err(_) => Stochastic {
            rule: Rule::parse(&solver)?,
            ..run
        }
        .minimize(&f, &mut theta, &layout, quiet)?,
    };
    for r in &training.records {
        println!("{} {:.6} {:.17e}", r.epoch, r.seconds, r.train_loss);
    }
    Ok(())
}
