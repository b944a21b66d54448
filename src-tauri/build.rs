fn main() {
    // Capabilities live in src-tauri/ while tauri.conf.json sits at the root.
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    tauri_build::try_build(
        tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*"),
    )
    .expect("failed to run the Tauri build script");
}
