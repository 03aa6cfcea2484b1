/// Protocol-faithful simulators for the backends that cannot run here (Windows): Hyper-V's
/// WMI v2 over WS-Management (`HyperVSimulator`) and, later, SCVMM's WinRM shell.
public enum Simulators {}
