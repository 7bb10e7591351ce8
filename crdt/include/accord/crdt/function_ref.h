// accord/crdt/function_ref.h: FunctionRef<R(Args...)>, a non-owning, non-allocating reference
// to a callable, for parameters that are called during the call and not kept.
//
// Contract:
//  - A FunctionRef refers to the callable it was made from; it neither copies nor owns it, so
//    the callable must outlive every call through the reference. Binding a temporary (a lambda
//    written at the call site) is safe only for the duration of the full expression that made
//    it, which is exactly the case of a function parameter: do not store a FunctionRef in a
//    member or return it.
//  - It converts implicitly from any lvalue or rvalue callable invocable as R(Args...) (lambdas,
//    function objects, std::function, functions and function pointers), so a parameter of type
//    FunctionRef accepts what a `const std::function<R(Args...)>&` parameter accepted, without
//    the allocation a std::function may make for a capturing lambda.
//  - Functions and function pointers are stored by value (a pointer to a temporary pointer
//    would dangle); a null function pointer must not be called.
//  - Calling it calls the referenced callable (non-const calls on a non-const object), with the
//    arguments forwarded. Copying a FunctionRef copies the reference, not the callable. There is
//    no empty state and no default constructor.
// Trivially copyable; thread safety is that of the referenced callable.
#ifndef ACCORD_CRDT_FUNCTION_REF_H_
#define ACCORD_CRDT_FUNCTION_REF_H_

#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

namespace accord::crdt {

template <typename Signature>
class FunctionRef;

template <typename R, typename... Args>
class FunctionRef<R(Args...)> {
 public:
  template <typename F>
  requires(!std::is_same_v<std::remove_cvref_t<F>, FunctionRef> &&
           std::is_invocable_r_v<R, F&, Args...>) FunctionRef(F&& f)
  noexcept {  // NOLINT(google-explicit-constructor): implicit by design
    using Fn = std::remove_reference_t<F>;
    if constexpr (std::is_function_v<Fn> ||
                  (std::is_pointer_v<std::remove_cv_t<Fn>> &&
                   std::is_function_v<std::remove_pointer_t<std::remove_cv_t<Fn>>>)) {
      using Ptr = std::conditional_t<std::is_function_v<Fn>, Fn*, std::remove_cv_t<Fn>>;
      Ptr ptr = f;  // a function decays to its pointer
      target_.fn = reinterpret_cast<void (*)()>(ptr);
      invoke_ = [](Target t, Args... args) -> R {
        return Call(reinterpret_cast<Ptr>(t.fn), std::forward<Args>(args)...);
      };
    } else {
      target_.obj = const_cast<void*>(static_cast<const void*>(std::addressof(f)));
      invoke_ = [](Target t, Args... args) -> R {
        return Call(*static_cast<Fn*>(t.obj), std::forward<Args>(args)...);
      };
    }
  }

  R operator()(Args... args) const { return invoke_(target_, std::forward<Args>(args)...); }

 private:
  union Target {
    void* obj;
    void (*fn)();
  };

  template <typename G>
  static R Call(G&& g, Args... args) {
    if constexpr (std::is_void_v<R>) {
      std::invoke(std::forward<G>(g), std::forward<Args>(args)...);
    } else {
      return std::invoke(std::forward<G>(g), std::forward<Args>(args)...);
    }
  }

  Target target_;
  R (*invoke_)(Target, Args...);
};

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_FUNCTION_REF_H_
