// Validate glTF 2.0 files with the Khronos validator; print one JSON report per file.
// Usage: node validate.js FILE.glb [FILE.glb ...]
const fs = require("fs");
const validator = require("gltf-validator");

async function main(files) {
  const reports = [];
  for (const file of files) {
    const report = await validator.validateBytes(new Uint8Array(fs.readFileSync(file)), { maxIssues: 50 });
    reports.push({ file, ...report.issues, info: report.info });
  }
  process.stdout.write(JSON.stringify(reports));
}

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(String(error) + "\n");
  process.exit(1);
});
