#!/usr/bin/env python3
"""Builds the tiny base images bxtop's end-to-end tests build FROM, without any registry.

bxtop/base:amd64 and bxtop/base:arm64 hold Debian's busybox-static for that architecture (the arm64 one only when
qemu's aarch64 binfmt handler is registered). Each is assembled as a `docker load` tarball so the image config
carries the right architecture: dockerd 20.10 ignores --platform on `docker import`.
"""
import hashlib, io, json, os, subprocess, sys, tarfile, tempfile, glob

APPLETS = ["sh", "ash", "cat", "echo", "ls", "sleep", "head", "dd", "sha256sum", "wc", "yes", "true", "false",
           "mkdir", "cp", "rm", "env", "date", "seq", "printf", "sed", "grep", "uname", "wget", "sync", "tar", "gzip"]

def run(*args, **kw):
    return subprocess.run(list(args), check=True, **kw)

def have_image(tag):
    return subprocess.run(["docker", "image", "inspect", tag], capture_output=True).returncode == 0

def fetch_busybox(arch, workdir):
    """The busybox binary of Debian's busybox-static for `arch`, via .ci/debian-apt.sh (system sources untouched)."""
    if arch == "amd64" and os.path.exists("/bin/busybox"):
        return "/bin/busybox"
    apt = os.path.join(workdir, "apt")
    here = os.path.dirname(os.path.abspath(__file__))
    run("bash", os.path.join(here, "debian-apt.sh"), "download", apt, "bookworm", f"busybox-static:{arch}",
        env={**os.environ, "APT_ARCH": arch})
    deb = glob.glob(os.path.join(apt, "busybox-static_*.deb"))[0]
    out = os.path.join(workdir, f"x-{arch}")
    run("dpkg", "-x", deb, out)
    return os.path.join(out, "bin", "busybox")

def layer_tar(busybox_path):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for d in ("bin", "tmp", "etc", "root", "work"):
            info = tarfile.TarInfo(d); info.type = tarfile.DIRTYPE; info.mode = 0o1777 if d == "tmp" else 0o755
            tar.addfile(info)
        with open(busybox_path, "rb") as f:
            data = f.read()
        info = tarfile.TarInfo("bin/busybox"); info.size = len(data); info.mode = 0o755
        tar.addfile(info, io.BytesIO(data))
        for applet in APPLETS:
            info = tarfile.TarInfo(f"bin/{applet}"); info.type = tarfile.SYMTYPE; info.linkname = "busybox"
            tar.addfile(info)
        passwd = b"root:x:0:0:root:/root:/bin/sh\n"
        info = tarfile.TarInfo("etc/passwd"); info.size = len(passwd); info.mode = 0o644
        tar.addfile(info, io.BytesIO(passwd))
    return buf.getvalue()

def load_image(tag, arch, busybox_path):
    layer = layer_tar(busybox_path)
    diff_id = "sha256:" + hashlib.sha256(layer).hexdigest()
    config = {
        "architecture": arch, "os": "linux",
        "config": {"Env": ["PATH=/bin"], "Cmd": ["/bin/sh"], "WorkingDir": "/"},
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created_by": "bxtop .ci/make-base-images.py: busybox-static " + arch}],
    }
    config_bytes = json.dumps(config).encode()
    config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
    manifest = [{"Config": config_name, "RepoTags": [tag], "Layers": ["layer/layer.tar"]}]
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, data in ((config_name, config_bytes), ("layer/layer.tar", layer),
                           ("manifest.json", json.dumps(manifest).encode())):
            info = tarfile.TarInfo(name); info.size = len(data); info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    run("docker", "load", input=buf.getvalue(), stdout=subprocess.DEVNULL)

def main():
    arches = ["amd64"]
    if os.path.exists("/proc/sys/fs/binfmt_misc/qemu-aarch64"):
        arches.append("arm64")
    else:
        print("[make-base-images] no qemu-aarch64 binfmt handler: only amd64", file=sys.stderr)
    with tempfile.TemporaryDirectory() as work:
        for arch in arches:
            tag = f"bxtop/base:{arch}"
            if have_image(tag):
                continue
            load_image(tag, arch, fetch_busybox(arch, work))
            print(f"[make-base-images] loaded {tag}")

if __name__ == "__main__":
    main()
