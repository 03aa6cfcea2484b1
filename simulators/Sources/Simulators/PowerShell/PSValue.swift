/// A PowerShell value as the simulator's interpreter sees it.
public indirect enum PSValue: Sendable, Equatable {
    /// `$null`.
    case null
    /// `[bool]`.
    case bool(Bool)
    /// Any integer type (`[int]`, `[long]`).
    case int(Int)
    /// `[double]`.
    case double(Double)
    /// `[string]` (also GUIDs, which serialize as their text).
    case string(String)
    /// A .NET enum value: serialized as its integer, cast to `[string]` as its name.
    case enumeration(PSEnumValue)
    /// `object[]`.
    case array([PSValue])
    /// An `object[]` inside a `[psobject]` wrapper, as Windows PowerShell 5.1 returns a script
    /// block's several outputs (`ScriptBlock.GetRawResult`, e.g. a calculated property of
    /// `Select-Object`). It acts as an array, but 5.1's `ConvertTo-Json` also writes the wrapper's
    /// ETS `Count` property: `{"value": [...], "Count": n}`.
    case wrappedArray([PSValue])
    /// `@{…}` (keys in insertion order).
    case hashtable([PSProperty])
    /// An object with properties (a cmdlet's output, or a PSCustomObject).
    case object(PSObject)
    /// `{ … }`.
    case scriptBlock(PSScriptBlock)

    /// The elements this value contributes to a pipeline: an array's elements, or itself.
    public var pipelineItems: [PSValue] {
        switch self {
        case .array(let elements), .wrappedArray(let elements): elements
        default: [self]
        }
    }

    /// What several pipeline outputs become when assigned: nothing → `$null`, one → itself,
    /// more → an array.
    public static func collapsing(_ outputs: [PSValue]) -> PSValue {
        switch outputs.count {
        case 0: .null
        case 1: outputs[0]
        default: .array(outputs)
        }
    }

    /// What a script block's outputs become as a value in Windows PowerShell 5.1
    /// (`ScriptBlock.GetRawResult`): nothing → `$null`, one → itself, more → a wrapped array.
    public static func rawResult(_ outputs: [PSValue]) -> PSValue {
        switch outputs.count {
        case 0: .null
        case 1: outputs[0]
        default: .wrappedArray(outputs)
        }
    }

    /// Whether this is `$null`.
    public var isNull: Bool { self == .null }
}
