/// Runs parsed WQL against a `HyperVModel`.
public struct WQLEvaluator: Sendable {
    /// The model queried.
    public let model: HyperVModel

    /// Creates an evaluator.
    public init(model: HyperVModel) { self.model = model }

    /// The result: the class of the returned instances (for the reply's namespace) and them.
    public struct Result: Sendable {
        /// The result class (for `ASSOCIATORS OF` with mixed classes, the class of each item
        /// is in the instance itself; this is the requested one, or the source's).
        public var resultClass: WMIClass?
        /// The instances, in enumeration order.
        public var instances: [WMIInstance]
    }

    /// Parses and evaluates `text`.
    public func evaluate(_ text: String) throws(WQLError) -> Result {
        try evaluate(WQLParser.parse(text))
    }

    /// Evaluates a parsed query.
    public func evaluate(_ query: WQLQuery) throws(WQLError) -> Result {
        switch query {
        case .select(let properties, let className, let condition):
            guard let wmiClass = WMISchema.wmiClass(named: className) else { throw .unknownClass(className) }
            for property in (properties ?? []) + (condition?.properties ?? []) where wmiClass.property(named: property) == nil {
                throw .unknownProperty(property, className: wmiClass.name)
            }
            var instances = model.instances(of: wmiClass)
            if let condition { instances = instances.filter(condition.matches) }
            if let properties {
                let wanted = Set(properties.compactMap(wmiClass.property(named:)))
                instances = instances.map { instance in
                    var projected = instance
                    projected.properties = instance.properties.filter { wanted.contains($0.name) }
                    return projected
                }
            }
            return Result(resultClass: wmiClass, instances: instances)
        case .associators(let path, let assocClass, let resultClass):
            guard let sourceClass = WMISchema.wmiClass(named: path.className) else { throw .unknownClass(path.className) }
            var association: WMIAssociation?
            if let assocClass {
                guard let known = WMIAssociation.named(assocClass) else { throw .unknownClass(assocClass) }
                association = known
            }
            var target: WMIClass?
            if let resultClass {
                guard let known = WMISchema.wmiClass(named: resultClass) else { throw .unknownClass(resultClass) }
                target = known
            }
            let source: WMIInstance?
            do { source = try model.instance(of: sourceClass, selectors: path.keys) } catch {
                throw .syntax(error.description, offset: 0)
            }
            guard let source else { throw .objectNotFound("\(path.className) \(path.keys.map { "\($0.name)=\($0.value)" }.joined(separator: ","))") }
            return Result(resultClass: target, instances: WMIAssociation.associators(of: source, via: association, resultClass: target, model: model))
        }
    }
}
