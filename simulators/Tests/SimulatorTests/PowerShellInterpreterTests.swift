import Foundation
@testable import Simulators
import Testing

@Suite("PowerShell subset: execution, ConvertTo-Json, CLIXML")
struct PowerShellInterpreterTests {
    static func run(_ script: String) -> PSInterpreter.Result {
        PSInterpreter(commands: PSBuiltinCommands.all(modules: ["VirtualMachineManager"])).run(script)
    }

    static func json(_ script: String) -> String {
        let result = run(script)
        #expect(result.errors.isEmpty, "\(result.errors)")
        return PSOutputFormatter.render(result.output)
    }

    @Test("ConvertTo-Json: one object → object, several → array, none → nothing; -InputObject keeps arrays")
    func arity() {
        #expect(Self.json("@{a=1} | ConvertTo-Json -Compress") == "{\"a\":1}\r\n")
        #expect(Self.json("1, 2 | ConvertTo-Json -Compress") == "[1,2]\r\n")
        #expect(Self.json("@() | ConvertTo-Json -Compress") == "")
        #expect(Self.json("ConvertTo-Json -Compress -InputObject @(1)") == "[1]\r\n")
        #expect(Self.json("ConvertTo-Json -Compress -InputObject @()") == "[]\r\n")
        #expect(Self.json("ConvertTo-Json -Compress -InputObject $null") == "null\r\n")
        #expect(Self.json("ConvertTo-Json -InputObject @{ Arr = @(1, 2); Obj = @{ a = 1 } }")
                == "{\r\n    \"Arr\":  [\r\n                1,\r\n                2\r\n            ],\r\n    \"Obj\":  {\r\n                \"a\":  1\r\n            }\r\n}\r\n")
    }

    @Test("ConvertTo-Json: depth truncation turns deeper values into their string form, arrays counting as a level")
    func depth() {
        #expect(Self.json("ConvertTo-Json -Compress -Depth 1 -InputObject @{ a = @{ b = @{ c = 1 } } }") == "{\"a\":{\"b\":\"System.Collections.Hashtable\"}}\r\n")
        #expect(Self.json("ConvertTo-Json -Compress -Depth 1 -InputObject @{ a = @(@(1, 2), 3) }") == "{\"a\":[\"1 2\",3]}\r\n")
        #expect(Self.json("ConvertTo-Json -Compress -Depth 1 -InputObject @{ a = @(([pscustomobject]@{ x = 1; y = 'z' })) }")
                == "{\"a\":[\"@{x=1; y=z}\"]}\r\n")
        let result = Self.run("ConvertTo-Json -Depth 101 -InputObject 1")
        #expect(result.exitCode == 1 && result.errors.first?.message.contains("maximum allowed range of 100") == true)
    }

    @Test("ConvertTo-Json escapes as JavaScriptSerializer: < > & ' as \\u00XX, control characters")
    func escaping() {
        #expect(Self.json(#"ConvertTo-Json -Compress -InputObject "a<b>&'c`"\`n""#) == #""a\u003cb\u003e\u0026\u0027c\"\\\n""# + "\r\n")
    }

    @Test("Select-Object: names (missing → null), wildcards, calculated properties with Name/N/Label/Expression/E, nulls skipped")
    func select() {
        // A calculated property's several outputs are a [psobject]-wrapped object[] in 5.1, which
        // ConvertTo-Json writes with the ETS Count (ScriptBlock.GetRawResult; PowerShell#5579).
        let script = "[pscustomobject]@{ Name = 'a'; Size = 3 }, $null | Select-Object name, Missing, @{N='Twice'; E={$_.Size, $_.Size}}, @{Label='L'; Expression='Size'} | ConvertTo-Json -Compress"
        #expect(Self.json(script) == "{\"Name\":\"a\",\"Missing\":null,\"Twice\":{\"value\":[3,3],\"Count\":2},\"L\":3}\r\n")
        #expect(Self.json("[pscustomobject]@{ Ab = 1; Ac = 2; B = 3 } | Select-Object A* | ConvertTo-Json -Compress") == "{\"Ab\":1,\"Ac\":2}\r\n")
        #expect(Self.json("@(@{a=1} | Select-Object -First 0).Count") == "0\r\n")
    }

    @Test("A calculated property with a pipeline in @(...): none → null, one → the object, several → 5.1's {value, Count}; the value still acts as an array")
    func calculatedArrays() {
        let select = "Select-Object @{Name='D'; Expression={@($_.Items | Select-Object A)}}"
        #expect(Self.json("[pscustomobject]@{ Items = @() } | \(select) | ConvertTo-Json -Compress") == "{\"D\":null}\r\n")
        #expect(Self.json("[pscustomobject]@{ Items = @([pscustomobject]@{ A = 1; B = 2 }) } | \(select) | ConvertTo-Json -Compress")
                == "{\"D\":{\"A\":1}}\r\n")
        let two = "[pscustomobject]@{ Items = @([pscustomobject]@{ A = 1 }, [pscustomobject]@{ A = 2 }) } | \(select)"
        #expect(Self.json("\(two) | ConvertTo-Json -Compress -Depth 5") == "{\"D\":{\"value\":[{\"A\":1},{\"A\":2}],\"Count\":2}}\r\n")
        // Past -Depth the elements, then the array itself, become strings; the Count stays.
        #expect(Self.json("\(two) | ConvertTo-Json -Compress -Depth 1") == "{\"D\":{\"value\":[\"@{A=1}\",\"@{A=2}\"],\"Count\":2}}\r\n")
        #expect(Self.json("$x = \(two)\nConvertTo-Json -Compress -Depth 1 -InputObject @{ x = $x }")
                == "{\"x\":{\"D\":{\"value\":\"@{A=1} @{A=2}\",\"Count\":2}}}\r\n")
        #expect(Self.json("$x = \(two)\n$x.D.Count\n$x.D[1].A\n$x.D | Select-Object -ExpandProperty A") == "2\r\n2\r\n1\r\n2\r\n")
    }

    @Test("Errors: unknown commands and parameters are PowerShell-style; ErrorActionPreference Stop ends the script; exit codes")
    func errors() {
        let unknown = Self.run("Get-Nothing\n'after'")
        #expect(unknown.errors.first?.message.hasPrefix("The term 'Get-Nothing' is not recognized as the name of a cmdlet") == true)
        #expect(unknown.output == [.string("after")])
        #expect(unknown.exitCode == 0)
        let stopped = Self.run("$ErrorActionPreference = 'Stop'\nGet-Nothing\n'after'")
        #expect(stopped.output.isEmpty && stopped.exitCode == 1)
        let parameter = Self.run("ConvertTo-Json -Bogus 1")
        #expect(parameter.errors.first?.message == "A parameter cannot be found that matches parameter name 'Bogus'.")
        #expect(parameter.exitCode == 1)
        let thrown = Self.run("if ($null -eq $x) { throw 'boom' }\n'after'")
        #expect(thrown.output.isEmpty && thrown.errors.first?.message == "boom" && thrown.exitCode == 1)
        #expect(Self.run("exit 3").exitCode == 3)
        #expect(Self.run("Import-Module NoSuchModule").errors.first?.errorID.hasPrefix("Modules_ModuleNotFound") == true)
    }

    @Test("CLIXML on stderr: #< CLIXML, one <S S=\"Error\"> per line ending in _x000D__x000A_, as pywinrm parses it")
    func clixml() {
        let script = "$ErrorActionPreference = 'Stop'\nthrow 'it <failed> & died'"
        let result = Self.run(script)
        let text = CLIXML.errorStream(result.errors.flatMap { $0.lines(script: script) })
        #expect(text.hasPrefix("#< CLIXML\r\n<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\"><S S=\"Error\">it &lt;failed&gt; &amp; died_x000D__x000A_</S>"))
        #expect(text.hasSuffix("</Objs>"))
        let cleaned = SCVMMScripts.cleaned(text)
        #expect(cleaned.hasPrefix("it <failed> & died\nAt line:2 char:1\n+ throw 'it <failed> & died'\n+ ~~~~~"))
        #expect(cleaned.contains("    + FullyQualifiedErrorId : it <failed> & died\n"))
        #expect(CLIXML.encode("a\nb\u{1}") == "a_x000A_b_x0001_")
    }

    @Test("Parse errors come back as errors (ParserError), exit 1")
    func parseErrorResult() {
        let result = Self.run("Get-X | ")
        #expect(result.exitCode == 1)
        #expect(result.errors.first?.category == "ParserError")
        #expect(result.errors.first?.lines(script: "Get-X | ").first == "At line:1 char:9")
    }

    @Test("Expressions: comparisons, -and/-or/-not, casts, member enumeration, Count, indexing")
    func expressions() {
        #expect(Self.json("'A' -eq 'a'; 1 -lt 2; -not $true; ($null -eq $null) -and (1 -ne 2); [int]'42'; [string]3; 'ab' -like 'A*'") == "True\r\nTrue\r\nFalse\r\nTrue\r\n42\r\n3\r\nTrue\r\n")
        #expect(Self.json("$a = @([pscustomobject]@{ N = 'x' }, [pscustomobject]@{ N = 'y' }); $a.N; $a.Count; $a[-1].N") == "x\r\ny\r\n2\r\ny\r\n")
        #expect(Self.run("[guid]'nope'").errors.first?.message.contains("Guid should contain 32 digits") == true)
    }

    @Test("Hostile scripts stay bounded: an array doubled 60 times cannot explode ConvertTo-Json, [string] or the output")
    func explosion() {
        let doubling = "$a = @(1)\n" + String(repeating: "$a = $a, $a\n", count: 60)
        let json = Self.run(doubling + "ConvertTo-Json -Compress -Depth 100 -InputObject $a")
        #expect(json.exitCode == 1 && json.errors.first?.errorID.hasPrefix("JsonTooLarge") == true)
        let text = Self.run(doubling + "([string]$a).Length")
        #expect(text.output == [.int(PSValue.maxTextLength)])
        let output = Self.run(doubling + "$a")
        #expect(PSOutputFormatter.render(output.output).utf8.count <= PSOutputFormatter.maxCharacters + 64)
    }
}
