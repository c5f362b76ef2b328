//! Model files: any text gives a GLM or MLP model or an error, never a panic; a model that
//! loads passes its own validation and has as many parameters as its shape calls for.
#![no_main]

use libfuzzer_sys::fuzz_target;
use optml::models::glm::GlmModel;
use optml::models::mlp::MlpModel;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    if let Ok(m) = GlmModel::from_json_str(text, "fuzz.json".as_ref()) {
        m.validate().expect("a loaded GLM is valid");
        assert_eq!(m.layout().dim(), m.weights.len());
    }
    if let Ok(m) = MlpModel::from_json_str(text, "fuzz.json".as_ref()) {
        m.validate().expect("a loaded MLP is valid");
    }
    let _ = MlpModel::is_mlp_json(text);
});
